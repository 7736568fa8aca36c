using System.Collections.Concurrent;
using Grpc.Net.Client;
using Inferd.Abstractions.Inference;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Repository;
using Inferd.Hosting;
using Inferd.Processing.Pipelines;
using Inferd.Protocol.V2;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Testing.Server;

/// <summary>
/// A real Inferd server on loopback (real Kestrel, real ONNX Runtime) over a temporary model repository.
/// Ports are chosen free; every await is bounded. Error-level logs are collected so a test can assert none
/// were written unexpectedly.
/// </summary>
public sealed class InferdTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory? _ownedRepository;

    private InferdTestServer(WebApplication app, TempDirectory? owned, string repository, ConcurrentQueue<string> errors)
    {
        Errors = errors;
        _app = app;
        _ownedRepository = owned;
        Repository = repository;
        Info = app.Services.GetRequiredService<InferdServerInfo>();
        Http = new HttpClient { BaseAddress = Info.HttpAddress, Timeout = TestTimeouts.Default };
        Channel = GrpcChannel.ForAddress(Info.GrpcAddress, new GrpcChannelOptions { MaxReceiveMessageSize = int.MaxValue, MaxSendMessageSize = int.MaxValue });
        Grpc = new GRPCInferenceService.GRPCInferenceServiceClient(Channel);
        Metrics = new HttpClient { BaseAddress = Info.MetricsPort > 0 ? Info.MetricsAddress : null, Timeout = TestTimeouts.Default };
    }

    /// <summary>The repository folder.</summary>
    public string Repository { get; }

    /// <summary>Ports and addresses.</summary>
    public InferdServerInfo Info { get; }

    /// <summary>A client for the REST endpoint.</summary>
    public HttpClient Http { get; }

    /// <summary>A channel to the gRPC endpoint.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>
    /// A client for the metrics port, which is off (-1) by default here so parallel tests never fight over 8002;
    /// opt in with <c>configure: o =&gt; o with { MetricsPort = 0 }</c>.
    /// </summary>
    public HttpClient Metrics { get; }

    /// <summary>The generated gRPC client.</summary>
    public GRPCInferenceService.GRPCInferenceServiceClient Grpc { get; }

    /// <summary>The server's services, to reach a component a test inspects.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Error and critical log lines written so far.</summary>
    public ConcurrentQueue<string> Errors { get; }

    /// <summary>
    /// Starts a server over <paramref name="repository"/> (or a fresh temp folder filled by <paramref name="fill"/>).
    /// <paramref name="configure"/> may change the test defaults of the options, e.g. to set a data folder for the job API.
    /// </summary>
    public static async Task<InferdTestServer> StartAsync(
        Action<string>? fill = null,
        string? repository = null,
        ModelControlMode mode = ModelControlMode.None,
        RequestLimits? limits = null,
        IReadOnlyList<string>? startupModels = null,
        Func<InferdHostOptions, InferdHostOptions>? configure = null)
    {
        TempDirectory? owned = null;
        if (repository is null)
        {
            owned = new TempDirectory();
            repository = owned.Path;
        }

        fill?.Invoke(repository);
        var errors = new ConcurrentQueue<string>();
        var options = new InferdHostOptions
        {
            ModelRepository = repository,
            HttpPort = 0,
            GrpcPort = 0,
            MetricsPort = -1,
            ModelControlMode = mode,
            StartupModels = startupModels ?? [],
            Limits = limits ?? new RequestLimits(),
            ExitTimeoutSecs = 5,
        };
        options = configure?.Invoke(options) ?? options;
        WebApplication app;
        for (var attempt = 1; ; attempt++)
        {
            app = InferdHost.Build(options, new PipelineBackend(new OnnxRuntimeBackend()), logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(new CollectingLoggerProvider(errors));
            });
            try
            {
                await app.StartAsync().DefaultTimeout();
                break;
            }
            catch (IOException) when (attempt < 5)
            {
                // Free ports are probed, then bound: a parallel test can take one in between. Pick new ones.
                await app.DisposeAsync();
            }
        }

        await app.Services.GetRequiredService<ModelStartup>().Loaded.DefaultTimeout();
        return new InferdTestServer(app, owned, repository, errors);
    }

    /// <summary>Scrapes <c>/metrics</c> on the metrics port and parses the page.</summary>
    public async Task<PrometheusPage> ScrapeAsync()
    {
        if (Info.MetricsPort <= 0)
        {
            throw new InvalidOperationException("the metrics port is off; start the server with configure: o => o with { MetricsPort = 0 }");
        }

        return PrometheusPage.Parse(await Metrics.GetStringAsync("/metrics").DefaultTimeout());
    }

    /// <summary>True when <c>GET /v2/health/live</c> answers 200.</summary>
    public async Task<bool> IsLiveAsync()
    {
        using var response = await Http.GetAsync("/v2/health/live").DefaultTimeout();
        return response.IsSuccessStatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Metrics.Dispose();
        Channel.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
        _ownedRepository?.Dispose();
    }

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> errors) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CollectingLogger(categoryName, errors);

        public void Dispose()
        {
        }
    }

    private sealed class CollectingLogger(string category, ConcurrentQueue<string> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                errors.Enqueue($"{category}: {formatter(state, exception)}");
            }
        }
    }
}
