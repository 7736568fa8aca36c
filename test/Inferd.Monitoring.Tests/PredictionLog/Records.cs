using System.Text.Json;
using Inferd.Monitoring.PredictionLog;

namespace Inferd.Monitoring.Tests.PredictionLog;

/// <summary>Records for store tests, and JSON comparison that ignores formatting (PostgreSQL's jsonb normalizes it).</summary>
internal static class Records
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static PredictionRecord Make(string id, string model = "m", string version = "1", int second = 0, string? caller = null, int payload = 8) =>
        new(
            id,
            model,
            version,
            Start.AddSeconds(second),
            1234,
            caller,
            """{"x":{"datatype":"FP32","shape":[1,2],"data":[0.5,-1.25]},"pad":{"datatype":"BYTES","shape":[1],"data":[""" + "\"" + new string('p', payload) + "\"]}}",
            """{"y":{"datatype":"FP32","shape":[1,1],"data":[0.75]}}""");

    /// <summary>Whether two JSON texts mean the same (object key order and spacing ignored).</summary>
    public static bool SameJson(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a == b;
        }

        using var x = JsonDocument.Parse(a);
        using var y = JsonDocument.Parse(b);
        return JsonElement.DeepEquals(x.RootElement, y.RootElement);
    }
}
