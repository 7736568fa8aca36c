using System.Collections.Concurrent;
using Inferd.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Tests.Alerts;

/// <summary>
/// A real webhook receiver: Kestrel on a free loopback port, <c>POST /hook</c> answers the scripted statuses in
/// order (then 200) and keeps every body.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly int[] _statuses;
    private int _count;

    private WebhookReceiver(WebApplication app, int[] statuses)
    {
        _app = app;
        _statuses = statuses;
    }

    public ConcurrentQueue<(string ContentType, string Body)> Requests { get; } = new();

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync(params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, statuses);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address + "/hook");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var index = Interlocked.Increment(ref _count) - 1;
        Requests.Enqueue((context.Request.ContentType ?? "", body));
        context.Response.StatusCode = index < _statuses.Length ? _statuses[index] : StatusCodes.Status200OK;
    }
}
