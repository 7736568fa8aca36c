using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Inferd.Testing;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests;

/// <summary>Raw HTTP helpers: tests build exact bytes so they can also send what no client would.</summary>
internal static class RestHelpers
{
    public const string GoodSimpleBody = """
        {"id": "good", "inputs": [
          {"name": "INPUT0", "datatype": "INT32", "shape": [1, 16], "data": [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]},
          {"name": "INPUT1", "datatype": "INT32", "shape": [1, 16], "data": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]}
        """;

    public static HttpRequestMessage Json(string path, string body, HttpMethod? method = null) =>
        new(method ?? HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>A binary-extension request: JSON header, then the given bytes, with the header length set.</summary>
    public static HttpRequestMessage Binary(string path, string header, byte[] tail, string? headerLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var body = new byte[json.Length + tail.Length];
        json.CopyTo(body, 0);
        tail.CopyTo(body, json.Length);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", headerLength ?? json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    public static async Task<(HttpStatusCode Status, string Body, string? ContentType)> SendAsync(InferdTestServer server, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await server.Http.SendAsync(request).DefaultTimeout();
            var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
            return (response.StatusCode, body, response.Content.Headers.ContentType?.ToString());
        }
    }

    /// <summary>Asserts an error answer: the status, {"error": "..."} with exactly application/json, a bounded message.</summary>
    public static string AssertError((HttpStatusCode Status, string Body, string? ContentType) answer, HttpStatusCode expected, string? contains = null)
    {
        Assert.True(answer.Status == expected, $"expected {(int)expected}, got {(int)answer.Status}: {Clip(answer.Body)}");
        Assert.Equal("application/json", answer.ContentType);
        using var doc = JsonDocument.Parse(answer.Body);
        var message = doc.RootElement.GetProperty("error").GetString()!;
        Assert.True(message.Length <= 600, "error message is not bounded");
        if (contains is not null)
        {
            Assert.Contains(contains, message, StringComparison.OrdinalIgnoreCase);
        }

        return message;
    }

    /// <summary>The server is still live and still answers a good request correctly.</summary>
    public static async Task AssertStillServesAsync(InferdTestServer server)
    {
        Assert.True(await server.IsLiveAsync(), "server is not live");
        var (status, body, _) = await SendAsync(server, Json("/v2/models/simple/infer", GoodSimpleBody));
        Assert.True(status == HttpStatusCode.OK, $"good request failed with {(int)status}: {Clip(body)}");
        using var doc = JsonDocument.Parse(body);
        var out0 = doc.RootElement.GetProperty("outputs").EnumerateArray().First(o => o.GetProperty("name").GetString() == "OUTPUT0");
        Assert.Equal(Enumerable.Range(1, 16), out0.GetProperty("data").EnumerateArray().Select(e => e.GetInt32()));
    }

    public static string Clip(string s) => s.Length > 300 ? s[..300] + "..." : s;
}
