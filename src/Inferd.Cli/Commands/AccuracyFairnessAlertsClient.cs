using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Inferd.Client;

namespace Inferd.Cli.Commands;

/// <summary>
/// The REST reads of <c>inferd accuracy</c>, <c>inferd fairness</c> and <c>inferd alerts</c>, and their table
/// formatting. Errors become <see cref="InferdClientException"/> with the server's <c>{"error"}</c> message.
/// </summary>
internal static class AccuracyFairnessAlertsClient
{
    /// <summary>GETs <paramref name="path"/> from the server at <paramref name="url"/> (REST only) and parses the JSON body.</summary>
    public static async Task<JsonDocument> GetAsync(string? url, string path, CancellationToken cancellationToken)
    {
        var (address, grpc) = ServerEndpoint.Resolve(url, grpc: false);
        if (grpc)
        {
            throw new UsageException("--url: these figures are served over REST only; give the http:// address");
        }

        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new InferdClientException($"cannot reach {address}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InferdClientException($"{address} did not answer within 60 s", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            JsonDocument? document = null;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                var message = document?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                    ? error.GetString()!
                    : response.ReasonPhrase ?? "request failed";
                document?.Dispose();
                throw new InferdClientException(response.StatusCode, message);
            }

            return document ?? throw new InferdClientException("the server's answer is not JSON");
        }
    }

    /// <summary>The route prefix of a model and optional version, escaped.</summary>
    public static string ModelPath(string model, string? version) =>
        "v2/models/" + Uri.EscapeDataString(model) + (version is null ? "" : "/versions/" + Uri.EscapeDataString(version));

    /// <summary>A number with 4 decimals, or <c>-</c> for null.</summary>
    public static string Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble().ToString("F4", CultureInfo.InvariantCulture) : "-";

    /// <summary>A string, a number as written, or <c>-</c>.</summary>
    public static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Number => e.GetRawText(),
        _ => "-",
    };

    /// <summary>Left-aligned columns two spaces apart; the first row is the header.</summary>
    public static string Table(IReadOnlyList<string[]> rows)
    {
        var columns = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Concat(row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c] + 2))).TrimEnd());
        }

        return text.ToString();
    }
}
