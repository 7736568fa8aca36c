using System.Collections.Immutable;
using Inferd.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Alerts;

/// <summary>
/// Evaluates every rule against every signal source on a <see cref="TimeProvider"/> timer. State is kept per rule ×
/// model × version × signal: ok or firing, since when, and the last value. On ok → firing and firing → resolved it
/// writes a log line and queues a webhook call; delivery runs on the webhook's own queue, so a slow or failing
/// receiver never delays evaluation.
/// </summary>
internal sealed class AlertEngine : IMetricsSource, IAsyncDisposable
{
    private readonly IAlertSignalSource[] _sources;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, int> _ruleOrder;
    private readonly SemaphoreSlim _evaluating = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private ImmutableDictionary<Key, AlertStatus> _states = ImmutableDictionary<Key, AlertStatus>.Empty;
    private DateTimeOffset? _lastEvaluation;
    private ITimer? _timer;
    private Task _timerRun = Task.CompletedTask;
    private int _running;
    private int _disposed;

    /// <summary>Creates the engine (and the webhook sender when the rules name a webhook).</summary>
    public AlertEngine(AlertRules rules, IEnumerable<IAlertSignalSource> sources, TimeProvider time, ILogger<AlertEngine> logger)
    {
        Rules = rules;
        _sources = [.. sources];
        _time = time;
        _logger = logger;
        _ruleOrder = rules.Rules.Select((r, i) => (r.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        Webhook = rules.Webhook is { } webhook ? new WebhookSender(webhook, time, logger) : null;
    }

    /// <summary>The rules.</summary>
    public AlertRules Rules { get; }

    /// <summary>The webhook sender, or null.</summary>
    public WebhookSender? Webhook { get; }

    /// <summary>When the last evaluation finished, or null before the first.</summary>
    public DateTimeOffset? LastEvaluation
    {
        get
        {
            lock (_gate)
            {
                return _lastEvaluation;
            }
        }
    }

    /// <summary>Every rule's state per matched signal, in rule order, then by model, version and signal.</summary>
    public IReadOnlyList<AlertStatus> States =>
        [.. Volatile.Read(ref _states).Values
            .OrderBy(s => _ruleOrder[s.Rule.Name])
            .ThenBy(s => s.Signal.Model, StringComparer.Ordinal)
            .ThenBy(s => s.Signal.Version ?? "", StringComparer.Ordinal)
            .ThenBy(s => s.Signal.Name, StringComparer.Ordinal)];

    /// <summary>Starts evaluating every <see cref="AlertRules.Interval"/>.</summary>
    public void Start() =>
        _timer ??= _time.CreateTimer(static state => ((AlertEngine)state!).OnTimer(), this, Rules.Interval, Rules.Interval);

    /// <summary>Reads every source once and updates the states; a failing source is logged and its rules keep their state.</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        await _evaluating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var signals = new List<AlertSignal>();
            foreach (var source in _sources)
            {
                try
                {
                    signals.AddRange(await source.ReadSignalsAsync(cancellationToken).ConfigureAwait(false));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    AlertsLog.SourceFailed(_logger, source.GetType().Name, ex);
                }
            }

            var events = Apply(signals, _time.GetUtcNow());
            foreach (var (key, alert) in events)
            {
                var version = alert.Version ?? "all";
                if (alert.State == AlertEvent.Firing)
                {
                    AlertsLog.Firing(_logger, alert.Rule, alert.Kind, alert.Signal, alert.Model, version, alert.Value, alert.Threshold);
                }
                else
                {
                    AlertsLog.Resolved(_logger, alert.Rule, alert.Kind, alert.Signal, alert.Model, version, alert.Value, alert.Threshold);
                }

                Webhook?.Enqueue(alert, delivery => RecordDelivery(key, delivery));
            }
        }
        finally
        {
            _evaluating.Release();
        }
    }

    /// <inheritdoc />
    public void Collect(PrometheusWriter writer)
    {
        var states = States;
        writer.Family("inferd_alert_firing", "gauge", "1 while an alert rule fires for a model version (any of its matched signals), else 0.");
        foreach (var group in states.GroupBy(s => (s.Rule.Name, s.Signal.Model, Version: s.Signal.Version ?? "")))
        {
            writer.Sample("inferd_alert_firing", group.Any(s => s.Firing) ? 1 : 0, ("rule", group.Key.Name), ("model", group.Key.Model), ("version", group.Key.Version));
        }

        if (Webhook is { } webhook)
        {
            writer.Family("inferd_alert_webhook_deliveries_total", "counter", "Alert webhook events by outcome: delivered (2xx), failed (every attempt failed), dropped (queue full).");
            writer.Sample("inferd_alert_webhook_deliveries_total", webhook.Delivered, ("result", WebhookDelivery.Delivered));
            writer.Sample("inferd_alert_webhook_deliveries_total", webhook.Failed, ("result", WebhookDelivery.Failed));
            writer.Sample("inferd_alert_webhook_deliveries_total", webhook.Dropped, ("result", WebhookDelivery.Dropped));
        }
    }

    /// <summary>Stops the timer and the webhook (events not yet delivered are not sent).</summary>
    public async ValueTask DisposeAsync()
    {
        // Idempotent: the hosted service stops it on shutdown, then the container disposes it.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _timerRun.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (Webhook is not null)
        {
            await Webhook.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        _evaluating.Dispose();
    }

    private List<(Key Key, AlertEvent Event)> Apply(List<AlertSignal> signals, DateTimeOffset now)
    {
        var events = new List<(Key, AlertEvent)>();
        lock (_gate)
        {
            var builder = _states.ToBuilder();
            foreach (var rule in Rules.Rules)
            {
                foreach (var signal in signals.Where(rule.Matches))
                {
                    var key = new Key(rule.Name, signal.Model, signal.Version ?? "", signal.Name);
                    var firing = rule.IsCrossed(signal.Value);
                    var threshold = rule.Threshold(signal.Value);
                    var changed = builder.TryGetValue(key, out var old) ? old.Firing != firing : firing;
                    builder[key] = old is null
                        ? new AlertStatus(rule, signal, firing, threshold, now, now)
                        : old with { Signal = signal, Firing = firing, Threshold = threshold, Since = changed ? now : old.Since, EvaluatedAt = now };
                    if (changed)
                    {
                        events.Add((key, new AlertEvent(rule.Name, rule.Kind, signal.Model, signal.Version, signal.Name, signal.Value, threshold, firing ? AlertEvent.Firing : AlertEvent.Resolved, now)));
                    }
                }
            }

            Volatile.Write(ref _states, builder.ToImmutable());
            _lastEvaluation = now;
        }

        return events;
    }

    private void RecordDelivery(Key key, WebhookDelivery delivery)
    {
        lock (_gate)
        {
            if (_states.TryGetValue(key, out var status))
            {
                Volatile.Write(ref _states, _states.SetItem(key, status with { LastDelivery = delivery }));
            }
        }
    }

    private void OnTimer()
    {
        // A slow source skips ticks instead of piling evaluations up.
        if (Interlocked.Exchange(ref _running, 1) == 0)
        {
            _timerRun = TimerEvaluateAsync();
        }
    }

    private async Task TimerEvaluateAsync()
    {
        try
        {
            await EvaluateAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            AlertsLog.EvaluationFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private readonly record struct Key(string Rule, string Model, string Version, string Signal);
}
