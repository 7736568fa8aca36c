using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Inferd.Client;

namespace Inferd.Cli.Bench;

/// <summary>
/// REST over HTTP/1.1, one connection per outstanding request (as perf_analyzer's HTTP client): inference with a
/// JSON or binary body encoded once, or <c>GET /v2/health/live</c> as the transport's no-op.
/// </summary>
internal sealed class HttpBenchTarget : BenchTarget
{
    private readonly HttpClient _http;
    private readonly InferdRestClient _client;
    private readonly string _model;
    private readonly Uri _uri;
    private readonly RestInferBody? _body;

    private HttpBenchTarget(HttpClient http, InferdRestClient client, string model, Uri uri, RestInferBody? body, int itemsPerRequest)
    {
        _http = http;
        _client = client;
        _model = model;
        _uri = uri;
        _body = body;
        ItemsPerRequest = itemsPerRequest;
    }

    public override int ItemsPerRequest { get; }

    public static async Task<HttpBenchTarget> CreateAsync(BenchSettings settings, bool binary, CancellationToken cancellationToken)
    {
        var address = settings.Address!;
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var client = new InferdRestClient(http);
        try
        {
            if (settings.Noop)
            {
                return new HttpBenchTarget(http, client, settings.Model, new Uri(http.BaseAddress, "v2/health/live"), null, 1);
            }

            var model = await ServerModel.LoadAsync(client, settings, cancellationToken).ConfigureAwait(false);
            var body = InferdRestClient.EncodeInferRequest(new ClientInferRequest(settings.Model, model.Inputs) { Binary = binary });
            var uri = new Uri(http.BaseAddress, "v2/models/" + Uri.EscapeDataString(settings.Model) + "/infer");
            return new HttpBenchTarget(http, client, settings.Model, uri, body, model.ItemsPerRequest);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public override BenchWorker CreateWorker() => new Worker(this);

    public override async Task<ServerStats?> ReadStatsAsync(CancellationToken cancellationToken) =>
        ServerStats.Parse(await _client.GetStatisticsJsonAsync(_model, null, cancellationToken).ConfigureAwait(false));

    public override ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Worker : BenchWorker
    {
        private readonly HttpBenchTarget _target;
        private readonly HttpMethod _method;
        private readonly ByteArrayContent? _content;
        private readonly byte[] _buffer = new byte[16 * 1024];

        public Worker(HttpBenchTarget target)
        {
            _target = target;
            _method = target._body is null ? HttpMethod.Get : HttpMethod.Post;
            if (target._body is { } body)
            {
                // One content per worker, sent again each time: HttpClient does not dispose request content.
                _content = new ByteArrayContent(body.Content);
                _content.Headers.ContentType = new MediaTypeHeaderValue(body.JsonLength is null ? "application/json" : "application/octet-stream");
                if (body.JsonLength is { } jsonLength)
                {
                    _content.Headers.TryAddWithoutValidation(InferdRestClient.InferenceHeaderContentLength, jsonLength.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        public override async ValueTask<bool> SendAsync(CancellationToken cancellationToken)
        {
            // Not disposed: disposing the message would dispose the shared content.
            var request = new HttpRequestMessage(_method, _target._uri) { Content = _content };
            using var response = await _target._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false) > 0)
                {
                }
            }

            return response.StatusCode == HttpStatusCode.OK;
        }
    }
}
