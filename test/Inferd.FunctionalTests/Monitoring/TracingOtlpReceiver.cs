using System.Collections.Concurrent;
using Inferd.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>
/// A real OTLP/HTTP receiver on loopback (Kestrel on a free port): records every request's path, content type and body
/// and answers 200 with an empty <c>ExportTraceServiceResponse</c>, as a collector does.
/// </summary>
internal sealed class TracingOtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TracingOtlpReceiver(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>Base URL to configure as the OTLP endpoint.</summary>
    public Uri Endpoint { get; }

    /// <summary>Requests received so far.</summary>
    public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Calls { get; } = new();

    public static async Task<TracingOtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        TracingOtlpReceiver? receiver = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            receiver!.Calls.Enqueue((context.Request.Path.Value ?? "", context.Request.ContentType, body.ToArray()));
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync().DefaultTimeout();
        receiver = new TracingOtlpReceiver(app, new Uri(app.Urls.First()));
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
    }
}
