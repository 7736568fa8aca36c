using System.Net;
using System.Text.Json;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Predict;

/// <summary>Sends prediction requests and reads the predictions.</summary>
internal static class PredictHelpers
{
    public static string PredictPath(string model) => $"/v1/models/{model}:predict";

    public static async Task<JsonElement[]> PredictOkAsync(InferdTestServer server, string model, string body)
    {
        var answer = await RestHelpers.SendAsync(server, RestHelpers.Json(PredictPath(model), body));
        return Predictions(answer);
    }

    public static JsonElement[] Predictions((HttpStatusCode Status, string Body, string? ContentType) answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, $"expected 200, got {(int)answer.Status}: {RestHelpers.Clip(answer.Body)}");
        Assert.Equal("application/json", answer.ContentType);
        using var doc = JsonDocument.Parse(answer.Body);
        return doc.RootElement.GetProperty("predictions").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();
}
