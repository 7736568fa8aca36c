using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Inferd.Client;

namespace Inferd.Cli.Commands;

/// <summary>
/// <c>inferd predict</c>: one request to the row-format endpoint <c>v1/models/{m}:predict</c> (docs/predict.md),
/// built from named fields, files, a JSON body or a raw file; prints the response JSON indented.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var endpoint = new ServerEndpoint();
        var model = new Argument<string>("model") { Description = "Model name." };
        var version = ModelVersionOption.Create();
        var field = new Option<string[]>("--field", "-f")
        {
            Description = "A field of the one instance as NAME=VALUE: numbers, true/false and JSON arrays ([1,2]) are sent as such, anything else as a string. Repeatable.",
            HelpName = "NAME=VALUE",
        };
        var file = new Option<string[]>("--file")
        {
            Description = "A field whose value is a file's bytes, as NAME=PATH (sent as multipart/form-data with the --field values). Repeatable.",
            HelpName = "NAME=PATH",
        };
        var json = new Option<string?>("--json")
        {
            Description = "The request body as is, e.g. '{\"instances\": [{\"age\": 42}]}'.",
            HelpName = "JSON",
        };
        var data = new Option<string?>("--data")
        {
            Description = "A file sent as the raw body (for a model with one BYTES input); the Content-Type follows the extension: .jpg/.jpeg, .png, .txt, else application/octet-stream.",
            HelpName = "PATH",
        };

        var command = new Command("predict", "Send one prediction (v1 row format: named fields in, named predictions out) over REST and print the response.")
        {
            model, version, field, file, json, data, endpoint.Url,
        };

        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var fields = parseResult.GetValue(field) ?? [];
            var files = parseResult.GetValue(file) ?? [];
            var body = parseResult.GetValue(json);
            var raw = parseResult.GetValue(data);
            var forms = (fields.Length + files.Length > 0 ? 1 : 0) + (body is null ? 0 : 1) + (raw is null ? 0 : 1);
            if (forms != 1)
            {
                throw new UsageException("give the instance with --field/--file, or the body with --json or --data (exactly one of these forms)");
            }

            var (uri, grpc) = ServerEndpoint.Resolve(parseResult.GetValue(endpoint.Url), grpc: false);
            if (grpc)
            {
                throw new UsageException("inferd predict speaks REST only; over gRPC use inferd infer (see docs/predict.md)");
            }

            HttpContent content = body is not null ? new StringContent(body, Encoding.UTF8, "application/json")
                : raw is not null ? RawContent(raw)
                : files.Length > 0 ? Multipart(fields, files)
                : FieldsJson(fields);
            using var client = new InferdRestClient(uri);
            var response = await client.PredictAsync(parseResult.GetValue(model)!, parseResult.GetValue(version), content, cancellationToken);
            Console.Out.WriteLine(Indent(response));
            return Cli.SuccessExitCode;
        }));
        return command;
    }

    private static (string Name, string Value) Split(string option, string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new UsageException($"{option} '{text}' must be written NAME=VALUE");
        }

        return (text[..equals], text[(equals + 1)..]);
    }

    private static ByteArrayContent FieldsJson(string[] fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("instances");
            writer.WriteStartObject();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var text in fields)
            {
                var (name, value) = Split("--field", text);
                if (!names.Add(name))
                {
                    throw new UsageException($"--field {name} is given more than once");
                }

                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A --field value as JSON: an integer, a number, true/false, a JSON array, else a string.</summary>
    internal static void WriteValue(Utf8JsonWriter writer, string value)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            writer.WriteNumberValue(integer);
        }
        else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else if (value is "true" or "false")
        {
            writer.WriteBooleanValue(value == "true");
        }
        else if (value.StartsWith('[') && IsJsonArray(value))
        {
            writer.WriteRawValue(value);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static bool IsJsonArray(string value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static MultipartFormDataContent Multipart(string[] fields, string[] files)
    {
        var content = new MultipartFormDataContent();
        foreach (var text in fields)
        {
            var (name, value) = Split("--field", text);
            content.Add(new StringContent(value, Encoding.UTF8), name);
        }

        foreach (var text in files)
        {
            var (name, path) = Split("--file", text);
            if (!File.Exists(path))
            {
                throw new UsageException($"--file {name}: '{path}' does not exist");
            }

            content.Add(new ByteArrayContent(File.ReadAllBytes(path)), name, Path.GetFileName(path));
        }

        return content;
    }

    private static ByteArrayContent RawContent(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--data '{path}' does not exist");
        }

        var content = new ByteArrayContent(File.ReadAllBytes(path));
        content.Headers.ContentType = new MediaTypeHeaderValue(ContentType(path));
        return content;
    }

    /// <summary>The Content-Type of a --data file, from its extension.</summary>
    internal static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".txt" => "text/plain",
        _ => "application/octet-stream",
    };

    private static string Indent(string json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>(json.Length * 2);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.RootElement.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
