using System.Collections.Concurrent;
using System.Text.Json;
using Inferd.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>A real webhook receiver on loopback (Kestrel): <c>POST /hook</c> answers 200 and keeps each JSON body.</summary>
internal sealed class AlertWebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AlertWebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<JsonElement> Events { get; } = new();

    public Uri Url { get; private set; } = null!;

    public static async Task<AlertWebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new AlertWebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            receiver.Events.Enqueue(document.RootElement.Clone());
            return Results.Ok();
        });
        await app.StartAsync().DefaultTimeout();
        receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook");
        return receiver;
    }

    /// <summary>Waits until an event matches; fails after the default test timeout.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            foreach (var e in Events)
            {
                if (match(e))
                {
                    return e;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"no webhook event after {TestTimeouts.Default}: {what}");
            // The server evaluates on its own timer; nothing here can signal it, so poll.
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
    }
}
