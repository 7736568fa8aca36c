using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Models;
using Inferd.Client.Internal;

namespace Inferd.Client;

/// <summary>
/// Open Inference Protocol client over REST (protocol.md §3-§7). Any answer other than 200 becomes an
/// <see cref="InferdClientException"/> carrying the status code and the server's <c>error</c> message.
/// </summary>
public sealed class InferdRestClient : IInferdClient
{
    /// <summary>Header that gives the length of the JSON part of a body with binary tensors (protocol.md §6).</summary>
    public const string InferenceHeaderContentLength = "Inference-Header-Content-Length";

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly MediaTypeHeaderValue OctetType = new("application/octet-stream");

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _base;

    /// <summary>Creates a client that owns its <see cref="HttpClient"/>, e.g. for <c>http://127.0.0.1:8000</c>.</summary>
    /// <param name="baseAddress">Server address; a path prefix (e.g. behind a proxy) is kept.</param>
    public InferdRestClient(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        // No client-side timeout: inference can be long; callers bound calls with their CancellationToken.
        _http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _ownsHttp = true;
        _base = WithTrailingSlash(baseAddress);
    }

    /// <summary>Creates a client over a caller-owned <see cref="HttpClient"/>, whose <c>BaseAddress</c> must be set.</summary>
    public InferdRestClient(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        _base = WithTrailingSlash(httpClient.BaseAddress ?? throw new ArgumentException("the HttpClient needs a BaseAddress", nameof(httpClient)));
    }

    /// <inheritdoc />
    public Task<bool> IsServerLiveAsync(CancellationToken cancellationToken = default) => IsOkAsync("v2/health/live", cancellationToken);

    /// <inheritdoc />
    public Task<bool> IsServerReadyAsync(CancellationToken cancellationToken = default) => IsOkAsync("v2/health/ready", cancellationToken);

    /// <inheritdoc />
    public Task<bool> IsModelReadyAsync(string model, string? version = null, CancellationToken cancellationToken = default) =>
        IsOkAsync(ModelPath(model, version) + "/ready", cancellationToken);

    /// <inheritdoc />
    public async Task<ServerMetadata> GetServerMetadataAsync(CancellationToken cancellationToken = default)
    {
        using var doc = await GetJsonAsync("v2", cancellationToken).ConfigureAwait(false);
        var root = doc.RootElement;
        return Decode(() => new ServerMetadata(
            Str(root, "name"),
            Str(root, "version"),
            root.TryGetProperty("extensions", out var ext) ? ext.EnumerateArray().Select(e => e.GetString() ?? "").ToArray() : []));
    }

    /// <inheritdoc />
    public async Task<ClientModelMetadata> GetModelMetadataAsync(string model, string? version = null, CancellationToken cancellationToken = default)
    {
        using var doc = await GetJsonAsync(ModelPath(model, version), cancellationToken).ConfigureAwait(false);
        var root = doc.RootElement;
        return Decode(() => new ClientModelMetadata(
            Str(root, "name"),
            root.TryGetProperty("versions", out var v) ? v.EnumerateArray().Select(e => e.GetString() ?? "").ToArray() : [],
            Str(root, "platform"),
            Tensors(root, "inputs"),
            Tensors(root, "outputs")));
    }

    /// <inheritdoc />
    public async Task<string> GetModelConfigJsonAsync(string model, string? version = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, ModelPath(model, version) + "/config"));
        return Encoding.UTF8.GetString(await SendAsync(request, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<string> GetStatisticsJsonAsync(string? model = null, string? version = null, CancellationToken cancellationToken = default)
    {
        var path = model is null ? "v2/models/stats" : ModelPath(model, version) + "/stats";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path));
        return Encoding.UTF8.GetString(await SendAsync(request, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClientRepositoryEntry>> GetRepositoryIndexAsync(bool readyOnly = false, CancellationToken cancellationToken = default)
    {
        using var request = JsonPost("v2/repository/index", w => w.WriteBoolean("ready", readyOnly));
        var body = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var doc = ParseJson(body);
        return Decode(() => doc.RootElement.EnumerateArray()
            .Select(e => new ClientRepositoryEntry(Str(e, "name"), Str(e, "version"), Str(e, "state"), Str(e, "reason")))
            .ToArray());
    }

    /// <inheritdoc />
    public async Task LoadModelAsync(string model, string? configJson = null, CancellationToken cancellationToken = default)
    {
        using var request = JsonPost(ModelRepositoryPath(model) + "/load", w =>
        {
            if (configJson is not null)
            {
                w.WriteStartObject("parameters");
                w.WriteString("config", configJson);
                w.WriteEndObject();
            }
        });
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task UnloadModelAsync(string model, CancellationToken cancellationToken = default)
    {
        // tritonclient always sends this key (protocol.md §7.1); servers that do not know it ignore it.
        using var request = JsonPost(ModelRepositoryPath(model) + "/unload", w =>
        {
            w.WriteStartObject("parameters");
            w.WriteBoolean("unload_dependents", false);
            w.WriteEndObject();
        });
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ClientInferResponse> InferAsync(ClientInferRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = RestInferCodec.BuildRequest(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, ModelPath(request.ModelName, request.ModelVersion) + "/infer"))
        {
            Content = new ByteArrayContent(body.Content),
        };
        message.Content.Headers.ContentType = body.JsonLength is null ? JsonType : OctetType;
        if (body.JsonLength is { } jsonLength)
        {
            message.Headers.TryAddWithoutValidation(InferenceHeaderContentLength, jsonLength.ToString(CultureInfo.InvariantCulture));
        }

        using var response = await SendRawAsync(message, cancellationToken).ConfigureAwait(false);
        var bytes = await ReadOkBodyAsync(response, cancellationToken).ConfigureAwait(false);
        long? headerLength = null;
        if (response.Headers.TryGetValues(InferenceHeaderContentLength, out var values))
        {
            headerLength = long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new InferdClientException($"the server sent an invalid {InferenceHeaderContentLength} header");
        }

        return Decode(() => RestInferCodec.ParseResponse(bytes, headerLength));
    }

    /// <summary>
    /// Sends <c>POST v1/models/{model}[/versions/{version}]:predict</c> (the row-format endpoint, docs/predict.md)
    /// with <paramref name="content"/> as the body: JSON <c>{"instances": [...]}</c>, multipart/form-data or a raw
    /// body. Any answer other than 200 raises <see cref="InferdClientException"/> with the server's message.
    /// </summary>
    /// <param name="model">Model name.</param>
    /// <param name="version">Version, or null to let the server pick by policy.</param>
    /// <param name="content">The body with its Content-Type. Ownership: disposed with the request this call sends.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response JSON text, <c>{"model_name", "model_version", "predictions": [...]}</c>.</returns>
    public async Task<string> PredictAsync(string model, string? version, HttpContent content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentNullException.ThrowIfNull(content);
        var path = "v1/models/" + Uri.EscapeDataString(model);
        if (!string.IsNullOrEmpty(version))
        {
            path += "/versions/" + Uri.EscapeDataString(version);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path + ":predict")) { Content = content };
        var body = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(body);
    }

    /// <summary>
    /// Encodes the body of <c>POST v2/models/{model}/infer</c> as <see cref="InferAsync"/> would send it, so a caller
    /// that sends the same request many times (a load generator) can encode it once and send it over its own
    /// <see cref="HttpClient"/>.
    /// </summary>
    public static RestInferBody EncodeInferRequest(ClientInferRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = RestInferCodec.BuildRequest(request);
        return new RestInferBody(body.Content, body.JsonLength);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    private static string ModelPath(string model, string? version)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        var path = "v2/models/" + Uri.EscapeDataString(model);
        return string.IsNullOrEmpty(version) ? path : path + "/versions/" + Uri.EscapeDataString(version);
    }

    private static string ModelRepositoryPath(string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        return "v2/repository/models/" + Uri.EscapeDataString(model);
    }

    private HttpRequestMessage JsonPost(string path, Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            writeMembers(w);
            w.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = JsonType;
        return new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path)) { Content = content };
    }

    private async Task<bool> IsOkAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path));
        using var response = await SendRawAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK;
    }

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path));
        return ParseJson(await SendAsync(request, cancellationToken).ConfigureAwait(false));
    }

    private async Task<byte[]> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadOkBodyAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new InferdClientException($"cannot reach the server at {_base}: {e.Message}", e);
        }
    }

    private static async Task<byte[]> ReadOkBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return body;
        }

        throw new InferdClientException(response.StatusCode, ErrorMessage(response, body));
    }

    private static string ErrorMessage(HttpResponseMessage response, byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String)
            {
                return error.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the status line and a bounded piece of the body.
        }

        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).Trim();
        var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        return text.Length == 0 ? status : status + ": " + text;
    }

    private static JsonDocument ParseJson(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InferdClientException("the server sent invalid JSON: " + e.Message, e);
        }
    }

    private static T Decode<T>(Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException or KeyNotFoundException)
        {
            throw new InferdClientException("the server sent an answer that does not follow the protocol: " + e.Message, e);
        }
    }

    private static string Str(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static ClientTensorMetadata[] Tensors(JsonElement root, string property) =>
        root.TryGetProperty(property, out var list)
            ? list.EnumerateArray()
                .Select(t => new ClientTensorMetadata(
                    Str(t, "name"),
                    Str(t, "datatype"),
                    t.TryGetProperty("shape", out var s) ? s.EnumerateArray().Select(d => d.GetInt64()).ToArray() : []))
                .ToArray()
            : [];
}
