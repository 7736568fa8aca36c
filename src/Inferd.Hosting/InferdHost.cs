using System.Net;
using System.Net.Sockets;
using Inferd.Abstractions.Backends;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Hosting.Explain;
using Inferd.Hosting.Grpc;
using Inferd.Hosting.Monitoring;
using Inferd.Hosting.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting;

/// <summary>Builds the Inferd server: Kestrel with a REST, a gRPC and a metrics endpoint over one inference facade.</summary>
public static class InferdHost
{
    /// <summary>Builds (does not start) the server.</summary>
    /// <param name="options">Validated options; ports of 0 are replaced by free ports, reported in <see cref="InferdServerInfo"/>.</param>
    /// <param name="backend">The model backend (ONNX Runtime in the CLI).</param>
    /// <param name="configureLogging">Optional logging setup, e.g. to capture logs in tests.</param>
    public static WebApplication Build(InferdHostOptions options, IModelBackend backend, Action<ILoggingBuilder>? configureLogging = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        var info = new InferdServerInfo(ResolvePort(options.HttpPort), ResolvePort(options.GrpcPort), options.Host) { MetricsPort = ResolvePort(options.MetricsPort) };
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc.AspNetCore", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxRequestBytes;
            // Finite, unlike Kestrel's default (unlimited): a connection flood must not exhaust the process.
            kestrel.Limits.MaxConcurrentConnections = 10_000;
            kestrel.Limits.MaxConcurrentUpgradedConnections = 10_000;
            var address = IPAddress.Parse(options.Host == "localhost" ? "127.0.0.1" : options.Host);
            if (info.HttpPort > 0)
            {
                // HTTP/2 without TLS cannot be negotiated on a shared endpoint, so REST is HTTP/1.1 and gRPC has its own h2c port.
                kestrel.Listen(address, info.HttpPort, l => l.Protocols = HttpProtocols.Http1);
            }

            if (info.GrpcPort > 0)
            {
                // Plaintext gRPC (h2c) needs an HTTP/2-only endpoint.
                kestrel.Listen(address, info.GrpcPort, l => l.Protocols = HttpProtocols.Http2);
            }

            if (info.MetricsPort > 0)
            {
                // Its own port, as in Triton (8002): scrapers and firewalls can treat it apart from the data plane.
                // Only /metrics answers there (MetricsServices.MapInferdMetrics).
                kestrel.Listen(address, info.MetricsPort, l => l.Protocols = HttpProtocols.Http1);
            }
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(options.ExitTimeoutSecs));

        var repository = new ModelRepositoryOptions(
            Path.GetFullPath(options.ModelRepository),
            options.ModelControlMode,
            options.StartupModels,
            TimeSpan.FromSeconds(options.RepositoryPollSecs),
            options.StrictReadiness);
        builder.Services.AddSingleton(info);
        builder.Services.AddSingleton(options.Limits);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(backend);
        builder.Services.AddSingleton(sp => new InferenceService(repository, backend, options.Limits, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<InferenceService>>(), new InferenceOptions(options.ResponseCacheBytes)
        {
            Observers = [.. sp.GetServices<IInferenceObserver>()],
        }));
        builder.Services.AddSingleton<IInferenceService>(sp => sp.GetRequiredService<InferenceService>());
        builder.Services.AddSingleton<ModelStartup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelStartup>());
        builder.Services.AddInferdGrpc(options.Limits);
        builder.Services.AddInferdJobs(options);
        builder.Services.AddInferdMonitoring(options);
        builder.Services.AddInferdExplain(options);

        var app = builder.Build();
        app.Use(static (context, next) =>
        {
            // gRPC checks each message against MaxReceiveMessageSize from its length prefix, before reading it, and
            // answers RESOURCE_EXHAUSTED; Kestrel's whole-body limit would instead abort the stream (UNKNOWN) and cap
            // the total of a long ModelStreamInfer stream. REST keeps the body limit.
            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true
                && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = null;
            }

            return next(context);
        });
        app.MapInferdRest();
        app.MapInferdJobs();
        app.MapInferdMonitoring();
        app.MapInferdExplain();
        app.MapInferdGrpc();
        return app;
    }

    /// <summary>Builds, starts and runs the server until <paramref name="cancellationToken"/> fires or the process is stopped.</summary>
    public static async Task RunAsync(InferdHostOptions options, IModelBackend backend, Action<ILoggingBuilder>? configureLogging, CancellationToken cancellationToken)
    {
        await using var app = Build(options, backend, configureLogging);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    private static int ResolvePort(int port)
    {
        if (port != 0)
        {
            return port;
        }

        // Port 0 asks for a free port; pick it here so the REST, gRPC and metrics endpoints are known by number.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
