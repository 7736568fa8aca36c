using Inferd.Core.Telemetry;

namespace Inferd.Monitoring.Drift;

/// <summary>
/// The drift families on <c>/metrics</c> (docs/drift.md). Every per-feature family carries <c>role</c>:
/// <c>input</c> or <c>prediction</c>. Figures that do not exist yet (no live values) are left out.
/// </summary>
internal static class DriftMetrics
{
    /// <summary>Writes the families of <paramref name="reports"/>.</summary>
    public static void Write(PrometheusWriter writer, IReadOnlyList<DriftReport> reports, long skippedRequests)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Family("inferd_drift_skipped_requests_total", "counter", "Requests whose drift update failed (see the server log).");
        writer.Sample("inferd_drift_skipped_requests_total", skippedRequests);
        if (reports.Count == 0)
        {
            return;
        }

        writer.Family("inferd_drift_live_rows", "gauge", "Rows in the live drift window.");
        writer.Family("inferd_drift_reference_rows", "gauge", "Rows the reference profile was built from.");
        writer.Family("inferd_drift_model_detected", "gauge", "1 when any feature of the role is flagged as drifted.");
        foreach (var r in reports)
        {
            writer.Sample("inferd_drift_live_rows", r.LiveRows, ("model", r.Model), ("version", r.Version));
            writer.Sample("inferd_drift_reference_rows", r.ReferenceRows, ("model", r.Model), ("version", r.Version));
            writer.Sample("inferd_drift_model_detected", r.DriftDetected ? 1 : 0, ("model", r.Model), ("version", r.Version), ("role", "input"));
            writer.Sample("inferd_drift_model_detected", r.PredictionDriftDetected ? 1 : 0, ("model", r.Model), ("version", r.Version), ("role", "prediction"));
        }

        writer.Family("inferd_drift_psi", "gauge", "Population stability index of the live window against the reference.");
        writer.Family("inferd_drift_ks_statistic", "gauge", "Two-sample Kolmogorov-Smirnov D of a numeric feature.");
        writer.Family("inferd_drift_chi2_statistic", "gauge", "Chi-square statistic of a categorical feature.");
        writer.Family("inferd_drift_p_value", "gauge", "p-value of the feature's drift test (test: ks or chi2).");
        writer.Family("inferd_drift_detected", "gauge", "1 when the feature is flagged as drifted.");
        writer.Family("inferd_data_quality_total", "counter", "Live values by data-quality problem (missing, nan, out_of_range, unknown_category).");
        foreach (var r in reports)
        {
            WriteFeatures(writer, r, r.Inputs, "input");
            WriteFeatures(writer, r, r.Outputs, "prediction");
        }
    }

    private static void WriteFeatures(PrometheusWriter writer, DriftReport r, IReadOnlyList<FeatureDrift> features, string role)
    {
        foreach (var f in features)
        {
            (string, string)[] labels = [("model", r.Model), ("version", r.Version), ("feature", f.Name), ("role", role)];
            if (double.IsFinite(f.Psi))
            {
                writer.Sample("inferd_drift_psi", f.Psi, labels);
            }

            if (double.IsFinite(f.PValue))
            {
                writer.Sample(f.Kind == FeatureKind.Numeric ? "inferd_drift_ks_statistic" : "inferd_drift_chi2_statistic", f.Statistic, labels);
                writer.Sample("inferd_drift_p_value", f.PValue, [.. labels, ("test", f.Test)]);
            }

            writer.Sample("inferd_drift_detected", f.Flagged ? 1 : 0, labels);
            for (var k = 0; k < DataQuality.Kinds.Count; k++)
            {
                writer.Sample("inferd_data_quality_total", f.Quality[k], [.. labels, ("kind", DataQuality.Kinds[k])]);
            }
        }
    }
}
