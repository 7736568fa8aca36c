using Inferd.Core.Inference;

namespace Inferd.Monitoring.Alerts;

/// <summary>
/// Error-rate figures per model version over the time since the previous read (one alert interval): from the deltas
/// of the facade's cumulative statistics, <c>error_rate</c> = failures / (successes + failures), 0 without requests;
/// <c>error_rate.&lt;reason&gt;</c> per failure reason (rejected, cancelled, timedout, backend, other); <c>requests</c>
/// and <c>errors</c> as counts. The first read covers everything since the server started. Reads are stateful: only
/// the alert engine should call <see cref="ReadSignalsAsync"/>.
/// </summary>
internal sealed class ErrorRateSignals(IInferenceService inference) : IAlertSignalSource
{
    /// <summary>The alert signal kind.</summary>
    public const string SignalKind = "error_rate";

    private readonly Lock _gate = new();
    private Dictionary<(string Model, string Version), Counts> _previous = [];

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertSignal>> ReadSignalsAsync(CancellationToken cancellationToken)
    {
        var statistics = inference.GetStatistics(null, null);
        var signals = new List<AlertSignal>();
        lock (_gate)
        {
            var next = new Dictionary<(string, string), Counts>();
            foreach (var s in statistics)
            {
                var now = new Counts(s.InferenceStats.Success.Count, s.InferenceStats.Fail.Count, s.FailuresByReason);
                var before = _previous.GetValueOrDefault((s.Name, s.Version), Counts.Zero);
                next[(s.Name, s.Version)] = now;
                var successes = Delta(now.Success, before.Success);
                var failures = Delta(now.Fail, before.Fail);
                var requests = successes + failures;
                signals.Add(new AlertSignal(SignalKind, s.Name, s.Version, "error_rate", requests == 0 ? 0 : (double)failures / requests));
                signals.Add(new AlertSignal(SignalKind, s.Name, s.Version, "requests", requests));
                signals.Add(new AlertSignal(SignalKind, s.Name, s.Version, "errors", failures));
                foreach (var (reason, count) in now.ByReason)
                {
                    var delta = Delta(count, before.ByReason.GetValueOrDefault(reason));
                    signals.Add(new AlertSignal(SignalKind, s.Name, s.Version, "error_rate." + reason, requests == 0 ? 0 : (double)delta / requests));
                }
            }

            _previous = next;
        }

        return Task.FromResult<IReadOnlyList<AlertSignal>>(signals);
    }

    // A reload starts a version's counters again; a counter below its previous value is then all new.
    private static ulong Delta(ulong now, ulong before) => now >= before ? now - before : now;

    private sealed record Counts(ulong Success, ulong Fail, IReadOnlyDictionary<string, ulong> ByReason)
    {
        public static readonly Counts Zero = new(0, 0, new Dictionary<string, ulong>());
    }
}
