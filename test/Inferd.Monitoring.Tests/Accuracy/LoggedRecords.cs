using Inferd.Monitoring.PredictionLog;

namespace Inferd.Monitoring.Tests.Accuracy;

/// <summary>Prediction records in the logged JSON form, written by hand for the evaluation tests.</summary>
internal static class LoggedRecords
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A record with the given tensors JSON and truth JSON.</summary>
    public static PredictionRecord Make(string id, string inputsJson, string outputsJson, string? truthJson, string model = "m", string version = "1", int second = 0) =>
        new(id, model, version, Start.AddSeconds(second), 1000, null, inputsJson, outputsJson) { TruthJson = truthJson, FeedbackAt = truthJson is null ? null : Start.AddSeconds(second + 1) };

    /// <summary>A one-tensor JSON object: <c>{"name": {"datatype", "shape", "data"}}</c>.</summary>
    public static string Tensor(string name, string datatype, string shape, string data) =>
        "{\"" + name + "\":{\"datatype\":\"" + datatype + "\",\"shape\":" + shape + ",\"data\":" + data + "}}";
}
