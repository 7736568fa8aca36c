using Inferd.Monitoring.Alerts;

namespace Inferd.Monitoring.Drift;

/// <summary>
/// The drift figures alert rules can test (kind <c>drift</c>): <c>live_rows</c>, <c>detected</c> and
/// <c>prediction_detected</c> (1 or 0), and per feature <c>&lt;feature&gt;.psi</c> and <c>&lt;feature&gt;.p_value</c>
/// (outputs as <c>prediction.&lt;feature&gt;.psi</c>, ...), the latter only once the feature has live values.
/// </summary>
internal static class DriftSignals
{
    /// <summary>The signals of <paramref name="reports"/>.</summary>
    public static IReadOnlyList<AlertSignal> From(IReadOnlyList<DriftReport> reports)
    {
        var signals = new List<AlertSignal>();
        foreach (var r in reports)
        {
            signals.Add(Signal(r, "live_rows", r.LiveRows));
            signals.Add(Signal(r, "detected", r.DriftDetected ? 1 : 0));
            signals.Add(Signal(r, "prediction_detected", r.PredictionDriftDetected ? 1 : 0));
            Add(signals, r, r.Inputs, "");
            Add(signals, r, r.Outputs, "prediction.");
        }

        return signals;
    }

    private static void Add(List<AlertSignal> signals, DriftReport r, IReadOnlyList<FeatureDrift> features, string prefix)
    {
        foreach (var f in features)
        {
            if (double.IsFinite(f.Psi))
            {
                signals.Add(Signal(r, prefix + f.Name + ".psi", f.Psi));
            }

            if (double.IsFinite(f.PValue))
            {
                signals.Add(Signal(r, prefix + f.Name + ".p_value", f.PValue));
            }
        }
    }

    private static AlertSignal Signal(DriftReport r, string name, double value) => new("drift", r.Model, r.Version, name, value);
}
