namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// One logged request. Tensors are JSON objects keyed by tensor name, each in the v2 JSON tensor form
/// <c>{"datatype":"FP32","shape":[1,3],"data":[...]}</c> (data flattened, row-major). A redacted tensor is
/// <c>{"datatype":..,"shape":..,"redacted":true}</c> without data; a hashed one keeps its shape and has each element
/// replaced by <c>"h:&lt;hex&gt;"</c> (a keyed hash, so equal values stay equal and groups can still be counted).
/// </summary>
/// <param name="RequestId">The request id (the client's, or the server-made one returned in the response).</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version that answered.</param>
/// <param name="Timestamp">When the answer was ready (UTC).</param>
/// <param name="LatencyUs">Server latency in microseconds.</param>
/// <param name="Caller">Who asked, or null.</param>
/// <param name="InputsJson">The inputs as described above.</param>
/// <param name="OutputsJson">The outputs as described above.</param>
public sealed record PredictionRecord(
    string RequestId,
    string Model,
    string Version,
    DateTimeOffset Timestamp,
    long LatencyUs,
    string? Caller,
    string InputsJson,
    string OutputsJson)
{
    /// <summary>Ground truth sent later as feedback (a JSON value: number, string, bool, or an array with one per row), or null.</summary>
    public string? TruthJson { get; init; }

    /// <summary>When the feedback arrived, or null.</summary>
    public DateTimeOffset? FeedbackAt { get; init; }
}
