using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Inferd.Client;

namespace Inferd.Cli.Commands;

/// <summary>
/// <c>inferd explain MODEL</c>: sends one instance to <c>POST v1/models/{m}[/versions/{v}]:explain</c> (docs/explain.md)
/// and prints the method, the prediction, the fit figures and the top features; <c>--png</c> draws them as a bar chart
/// and <c>--heatmap</c> saves image LIME's heat map.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var endpoint = new ServerEndpoint();
        var model = new Argument<string>("model") { Description = "Model name." };
        var version = ModelVersionOption.Create();
        var field = new Option<string[]>("--field", "-f")
        {
            Description = "A field of the instance as NAME=VALUE: numbers, true/false and JSON arrays ([1,2]) are sent as such, anything else as a string. Repeatable.",
            HelpName = "NAME=VALUE",
        };
        var json = new Option<string?>("--json") { Description = "The instance as a JSON object, e.g. '{\"age\": 42}', or a file holding one.", HelpName = "JSON|FILE" };
        var text = new Option<string?>("--text") { Description = "Text for the model's BYTES input (the one --input names, else its only BYTES input).", HelpName = "TEXT" };
        var image = new Option<string?>("--image") { Description = "A picture file for the model's BYTES input (the one --input names, else its only BYTES input).", HelpName = "FILE" };
        var parameters = new ExplainParameters();
        var top = new Option<int>("--top") { Description = "Features printed and drawn, largest |attribution| first.", DefaultValueFactory = _ => 10, HelpName = "K" };
        var png = new Option<string?>("--png") { Description = "Also write a PNG bar chart of the top features to this file.", HelpName = "FILE" };
        var heatmap = new Option<string?>("--heatmap") { Description = "Image LIME: write the server's PNG heat map over the picture to this file.", HelpName = "FILE" };

        var command = new Command("explain", "Explain one prediction on a running server (Kernel SHAP, Tree SHAP or LIME): the top features' attributions, as a table and optionally a PNG chart.")
        {
            model, version, field, json, text, image, top, png, heatmap, endpoint.Url,
        };
        parameters.AddTo(command);
        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var (uri, grpc) = ServerEndpoint.Resolve(parseResult.GetValue(endpoint.Url), grpc: false);
            if (grpc)
            {
                throw new UsageException("inferd explain speaks REST only (explanations are a REST extension)");
            }

            var k = parseResult.GetValue(top);
            if (k < 1)
            {
                throw new UsageException("--top must be at least 1");
            }

            var name = parseResult.GetValue(model)!;
            var modelVersion = parseResult.GetValue(version);
            var fields = parseResult.GetValue(field) ?? [];
            var instanceJson = parseResult.GetValue(json);
            var textValue = parseResult.GetValue(text);
            var imageFile = parseResult.GetValue(image);
            if ((instanceJson is null ? 0 : 1) + (fields.Length + (textValue is null ? 0 : 1) + (imageFile is null ? 0 : 1) > 0 ? 1 : 0) != 1 || (textValue is not null && imageFile is not null))
            {
                throw new UsageException("give the instance with --field (and/or one of --text, --image), or as a whole with --json");
            }

            string? bytesInput = null;
            if (textValue is not null || imageFile is not null)
            {
                bytesInput = parseResult.GetValue(parameters.Input) ?? await OnlyBytesInputAsync(uri, name, modelVersion, cancellationToken);
            }

            var explain = parameters.Read(parseResult) with { Heatmap = parseResult.GetValue(heatmap) is not null };
            var body = Body(fields, instanceJson, bytesInput, textValue, imageFile, explain);
            var report = await PostAsync(uri, name, modelVersion, body, cancellationToken);
            Console.Out.Write(Format(report, k));
            if (parseResult.GetValue(png) is { } chart)
            {
                ExplainChart.Write(report, k, chart);
                var (w, h) = ExplainChart.Size(report.Top(k).Count);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chart: {chart} ({w}x{h})"));
            }

            if (parseResult.GetValue(heatmap) is { } map)
            {
                if (report.HeatmapPng is null)
                {
                    Console.Error.WriteLine($"inferd: error: the server sent no heat map ({report.Method} draws none; only lime_image does)");
                    return Cli.FailureExitCode;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(map))!);
                await File.WriteAllBytesAsync(map, report.HeatmapPng, cancellationToken);
                Console.Out.WriteLine($"heat map: {map}");
            }

            return Cli.SuccessExitCode;
        }));
        return command;
    }

    /// <summary>The explanation as printed: the summary lines, then the top <paramref name="top"/> features.</summary>
    internal static string Format(ExplainReport r, int top)
    {
        var inv = CultureInfo.InvariantCulture;
        var summary = new List<string[]>
        {
            new[] { "method", r.Method + (r.Mode is null ? "" : " (" + r.Mode + ")") },
            new[] { "output", string.Create(inv, $"{r.Output}[{r.Target}]") },
        };
        if (r.Prediction is { } p)
        {
            summary.Add(["prediction", p.ToString("G6", inv)]);
        }

        if (r.BaseValue is { } b)
        {
            summary.Add(["base value", b.ToString("G6", inv) + (r.AdditivityError is { } a ? "  (additivity error " + a.ToString("G2", inv) + ")" : "")]);
        }

        if (r.Intercept is { } i)
        {
            summary.Add(["intercept", i.ToString("G6", inv) + (r.R2 is { } r2 ? "  (R² " + r2.ToString("0.0000", inv) + ")" : "")]);
        }

        if (r.StatedError is { } s)
        {
            summary.Add(["stated error", s.ToString("G3", inv)]);
        }

        if (r.Samples is { } n)
        {
            summary.Add(["samples", n.ToString("N0", inv)]);
        }

        if (r.Background is not null)
        {
            summary.Add(["background", r.Background]);
        }

        summary.Add(["evaluations", string.Create(inv, $"{r.Evaluations:N0} in {r.Calls:N0} calls")]);
        summary.Add(["duration", string.Create(inv, $"{r.DurationMs:0.0} ms (queued {r.QueuedMs:0.0} ms)")]);
        var text = string.Create(inv, $"explanation of {r.Model} version {r.Version}\n") + DriftTable.Format(summary);

        var features = r.Top(top);
        var weights = features.Any(f => f.Weight is not null);
        var rows = new List<string[]> { weights ? ["FEATURE", "VALUE", "ATTRIBUTION", "WEIGHT"] : ["FEATURE", "VALUE", "ATTRIBUTION"] };
        foreach (var f in features)
        {
            var attribution = f.Attribution.ToString("G6", inv) + (f.Error is { } e ? " ± " + e.ToString("G2", inv) : "");
            rows.Add(weights ? [f.Name, f.Value, attribution, f.Weight?.ToString("G6", inv) ?? "-"] : [f.Name, f.Value, attribution]);
        }

        var shown = string.Create(inv, $"\ntop {features.Count} of {r.Features.Count} features by |attribution|:\n");
        return text + shown + DriftTable.Format(rows);
    }

    /// <summary>The request body: <c>{"instances": [instance], "explain": {...}}</c>.</summary>
    internal static byte[] Body(string[] fields, string? instanceJson, string? bytesInput, string? text, string? imageFile, ExplainSettings explain)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("instances");
            if (instanceJson is not null)
            {
                writer.WriteRawValue(Instance(instanceJson));
            }
            else
            {
                writer.WriteStartObject();
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var f in fields)
                {
                    var equals = f.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw new UsageException($"--field '{f}' must be written NAME=VALUE");
                    }

                    var name = f[..equals];
                    if (!names.Add(name) || name == bytesInput)
                    {
                        throw new UsageException($"field '{name}' is given more than once");
                    }

                    writer.WritePropertyName(name);
                    PredictCommand.WriteValue(writer, f[(equals + 1)..]);
                }

                if (text is not null)
                {
                    writer.WriteString(bytesInput!, text);
                }
                else if (imageFile is not null)
                {
                    if (!File.Exists(imageFile))
                    {
                        throw new UsageException($"--image '{imageFile}' does not exist");
                    }

                    writer.WriteStartObject(bytesInput!);
                    writer.WriteBase64String("b64", File.ReadAllBytes(imageFile));
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            explain.WriteTo(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // --json takes the object itself or a file holding it.
    private static string Instance(string value)
    {
        var json = value.TrimStart().StartsWith('{') ? value : File.Exists(value) ? File.ReadAllText(value) : throw new UsageException($"--json '{value}' is neither a JSON object nor an existing file");
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? json : throw new UsageException("--json must be one instance: a JSON object of named fields");
        }
        catch (JsonException e)
        {
            throw new UsageException("--json is not valid JSON: " + e.Message);
        }
    }

    private static async Task<string> OnlyBytesInputAsync(Uri server, string model, string? version, CancellationToken cancellationToken)
    {
        using var client = new InferdRestClient(server);
        var metadata = await client.GetModelMetadataAsync(model, version, cancellationToken);
        var bytes = metadata.Inputs.Where(i => i.Datatype == "BYTES").Select(i => i.Name).ToArray();
        return bytes.Length == 1
            ? bytes[0]
            : throw new UsageException(bytes.Length == 0
                ? $"model '{model}' has no BYTES input for --text or --image; its inputs are {string.Join(", ", metadata.Inputs.Select(i => i.Name + " " + i.Datatype))}"
                : $"model '{model}' has several BYTES inputs ({string.Join(", ", bytes)}); name one with --input");
    }

    private static async Task<ExplainReport> PostAsync(Uri server, string model, string? version, byte[] body, CancellationToken cancellationToken)
    {
        var path = ServerJsonCall.ModelPath("v1/models/", model, version, ":explain");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        // An explanation may run thousands of model evaluations behind the server's queue; Ctrl+C ends the wait sooner.
        return ExplainReport.Read(await ServerJsonCall.SendAsync(server, request, TimeSpan.FromMinutes(30), cancellationToken));
    }
}
