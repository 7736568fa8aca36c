using System.Diagnostics;
using Inferd.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// Keeps request trace context flowing and, when <see cref="InferdHostOptions.OtlpEndpoint"/> is set, exports spans
/// over OTLP/HTTP (protobuf) to <c>endpoint/v1/traces</c>. Without an endpoint no exporter or tracer provider exists
/// and Inferd's spans are not even created. Stopping flushes what is buffered.
/// </summary>
internal sealed class TracingHostedService(InferdHostOptions options, ILogger<TracingHostedService> logger) : IHostedService, IDisposable
{
    /// <summary>ASP.NET Core's request activities come from this source.</summary>
    public const string AspNetCoreSource = "Microsoft.AspNetCore";

    // The OTLP exporter's default; a collector that is down must not hold shutdown for longer.
    private const int FlushTimeoutMs = 10_000;

    private readonly Lock _lock = new();
    private ActivityListener? _propagation;
    private TracerProvider? _provider;

    /// <summary>Whether spans are exported (an endpoint was configured and the server started).</summary>
    public bool Exporting => Volatile.Read(ref _provider) is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // ASP.NET Core reads traceparent into a request activity only when that activity is created, which needs
            // a listener. This one asks for propagation data only: ids, no attributes, nothing recorded.
            _propagation = new ActivityListener
            {
                ShouldListenTo = static source => source.Name == AspNetCoreSource,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            };
            ActivitySource.AddActivityListener(_propagation);
            if (options.OtlpEndpoint is { } endpoint)
            {
                var traces = TracesUri(endpoint);
                _provider = Sdk.CreateTracerProviderBuilder()
                    .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("inferd", serviceVersion: InferdTelemetry.Source.Version))
                    .AddSource(InferdTelemetry.SourceName, AspNetCoreSource)
                    .AddOtlpExporter(o =>
                    {
                        o.Protocol = OtlpExportProtocol.HttpProtobuf;
                        o.Endpoint = traces;
                    })
                    .Build();
                MetricsLog.ExportingTraces(logger, traces);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_provider is not null)
            {
                _ = _provider.ForceFlush(FlushTimeoutMs);
                _provider.Dispose();
                _provider = null;
            }

            _propagation?.Dispose();
            _propagation = null;
        }
    }

    /// <summary>The OTLP/HTTP traces path under the configured endpoint (the exporter uses a set endpoint as is).</summary>
    public static Uri TracesUri(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var text = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(text.EndsWith("/v1/traces", StringComparison.Ordinal) ? text : text + "/v1/traces");
    }
}
