using System.Net;
using System.Text.Json;
using Inferd.Client;

namespace Inferd.Cli.Commands;

/// <summary>
/// One call to an Inferd-specific JSON route (drift, explain): the body of a 200, or the server's <c>{"error"}</c>
/// message as an <see cref="InferdClientException"/>, or a clear line when the server cannot be reached.
/// </summary>
internal static class ServerJsonCall
{
    /// <summary>Sends <paramref name="request"/> (its URI relative to <paramref name="server"/>) and returns the 200 body.</summary>
    /// <param name="server">The server's base address.</param>
    /// <param name="request">The request; its relative URI is resolved against <paramref name="server"/>.</param>
    /// <param name="timeout">How long the call may take.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<byte[]> SendAsync(Uri server, HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = timeout };
        request.RequestUri = new Uri(server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/"), request.RequestUri!.OriginalString);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new InferdClientException($"cannot reach the server at {server}: {e.Message}", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return response.StatusCode == HttpStatusCode.OK
                ? body
                : throw new InferdClientException(response.StatusCode, ErrorOf(body) ?? $"the server answered {(int)response.StatusCode}");
        }
    }

    /// <summary>The server path of a model route: <c>{prefix}/{model}[/versions/{v}]{suffix}</c> with both names escaped.</summary>
    public static string ModelPath(string prefix, string model, string? version, string suffix) =>
        prefix + Uri.EscapeDataString(model) + (string.IsNullOrEmpty(version) ? "" : "/versions/" + Uri.EscapeDataString(version)) + suffix;

    private static string? ErrorOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                ? error.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
