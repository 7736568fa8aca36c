using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Alerts;

/// <summary>
/// POSTs alert events to the webhook from its own bounded queue, one at a time and in order, retrying a failed
/// attempt (no answer within the timeout, a connection error or a non-2xx status) after 1, 2, 4, 8 s (the
/// configured backoff doubling, on <see cref="TimeProvider"/> delays). Enqueueing never blocks the alert evaluation.
/// </summary>
internal sealed class WebhookSender : IAsyncDisposable
{
    /// <summary>Events waiting for delivery before new ones are dropped (and counted): far more than a flapping rule set makes.</summary>
    public const int QueueCapacity = 1_000;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly Channel<(AlertEvent Event, Action<WebhookDelivery>? Done)> _queue =
        Channel.CreateBounded<(AlertEvent, Action<WebhookDelivery>?)>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _delivered;
    private long _failed;
    private long _dropped;

    /// <summary>Creates the sender and starts its delivery loop.</summary>
    public WebhookSender(WebhookSettings settings, TimeProvider time, ILogger logger)
    {
        Settings = settings;
        _time = time;
        _logger = logger;
        // The per-attempt timeout is a TimeProvider token below; HttpClient's own timeout would use the wall clock.
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), UseProxy = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The webhook settings.</summary>
    public WebhookSettings Settings { get; }

    /// <summary>Events answered with a 2xx.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Events given up after every attempt failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues an event; <paramref name="done"/> is called with the outcome (from the delivery loop, or at once when dropped).</summary>
    public bool Enqueue(AlertEvent alert, Action<WebhookDelivery>? done)
    {
        if (_queue.Writer.TryWrite((alert, done)))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        AlertsLog.WebhookDropped(_logger, alert.Rule, alert.State);
        done?.Invoke(new WebhookDelivery(_time.GetUtcNow(), WebhookDelivery.Dropped, 0, "the webhook queue is full"));
        return false;
    }

    /// <summary>Delivers one event with retries; the queue loop's body.</summary>
    internal async Task<WebhookDelivery> DeliverAsync(AlertEvent alert, CancellationToken cancellationToken)
    {
        var body = alert.ToJson();
        var error = "";
        for (var attempt = 1; attempt <= Settings.MaxAttempts; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(Settings.Timeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = Json;
                using var response = await _http.PostAsync(Settings.Url, content, linked.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return new WebhookDelivery(_time.GetUtcNow(), WebhookDelivery.Delivered, attempt, null);
                }

                error = $"HTTP {(int)response.StatusCode}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"no answer within {Settings.Timeout.TotalMilliseconds} ms";
            }
            catch (HttpRequestException ex)
            {
                error = ex.Message;
            }

            if (attempt < Settings.MaxAttempts)
            {
                var delay = Settings.Delay(attempt);
                AlertsLog.WebhookRetry(_logger, attempt, alert.Rule, error, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        AlertsLog.WebhookFailed(_logger, alert.Rule, alert.State, Settings.MaxAttempts, error);
        return new WebhookDelivery(_time.GetUtcNow(), WebhookDelivery.Failed, Settings.MaxAttempts, error);
    }

    /// <summary>Stops delivering; events still queued are not sent.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (var (alert, done) in _queue.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
        {
            var delivery = await DeliverAsync(alert, _stopping.Token).ConfigureAwait(false);
            Interlocked.Increment(ref delivery.Result == WebhookDelivery.Delivered ? ref _delivered : ref _failed);
            done?.Invoke(delivery);
        }
    }
}
