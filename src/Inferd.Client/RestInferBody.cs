namespace Inferd.Client;

/// <summary>An encoded REST inference body (<see cref="InferdRestClient.EncodeInferRequest"/>).</summary>
/// <param name="Content">
/// The body: JSON, followed by the binary tensor parts when <paramref name="JsonLength"/> is set. Ownership: the caller's;
/// it may be sent any number of times.
/// </param>
/// <param name="JsonLength">
/// Length of the JSON part, for the <c>Inference-Header-Content-Length</c> header (content type
/// <c>application/octet-stream</c>); null for a pure JSON body (content type <c>application/json</c>).
/// </param>
public readonly record struct RestInferBody(byte[] Content, int? JsonLength);
