using Inferd.Core.Inference;
using Inferd.Core.Telemetry;
using Inferd.Monitoring.Accuracy;
using Inferd.Monitoring.Alerts;
using Inferd.Monitoring.Configuration;
using Inferd.Monitoring.PredictionLog;
using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Fairness;

/// <summary>
/// Fairness per model version over the newest <c>monitoring.fairness.window</c> logged records of every ready version
/// whose config has both <c>monitoring.task</c> and <c>monitoring.fairness</c>. Shown on <c>/metrics</c>, in the API
/// and to alert rules (kind <c>fairness</c>).
/// </summary>
internal sealed class FairnessMonitor(IInferenceService inference, IPredictionLogStore? store, TimeProvider time, ILogger<FairnessMonitor> logger)
    : EvaluationMonitor<LiveFairness>(inference, store, time, logger), IMetricsSource, IAlertSignalSource
{
    /// <summary>The alert signal kind.</summary>
    public const string SignalKind = "fairness";

    /// <summary>Signal and metric suffix of the demographic parity difference.</summary>
    public const string Parity = "demographic_parity_difference";

    /// <summary>Signal and metric suffix of the disparate impact ratio.</summary>
    public const string Impact = "disparate_impact_ratio";

    /// <summary>Signal and metric suffix of the equal opportunity difference.</summary>
    public const string Opportunity = "equal_opportunity_difference";

    /// <inheritdoc />
    public void Collect(PrometheusWriter writer)
    {
        var current = Current;
        if (current.Count == 0)
        {
            return;
        }

        writer.Family("inferd_fairness_positive_rate", "gauge", "Share of a group's logged predictions that are the positive outcome.");
        foreach (var f in current)
        {
            foreach (var g in f.Report.Groups)
            {
                writer.Sample("inferd_fairness_positive_rate", g.PositiveRate, ("model", f.Model), ("version", f.Version), ("attribute", f.Attribute), ("group", g.Group));
            }
        }

        Figure(writer, current, Parity, "Highest minus lowest positive rate over the groups.", r => r.DemographicParityDifference);
        Figure(writer, current, Impact, "Lowest ratio of a group's positive rate to the privileged group's.", r => r.DisparateImpactRatio);
        Figure(writer, current, Opportunity, "Highest minus lowest true positive rate over groups with actual positives (needs feedback).", r => r.EqualOpportunityDifference);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertSignal>> ReadSignalsAsync(CancellationToken cancellationToken)
    {
        var signals = new List<AlertSignal>();
        foreach (var f in await FreshAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var (name, value) in Figures(f.Report))
            {
                signals.Add(new AlertSignal(SignalKind, f.Model, f.Version, name, value));
            }
        }

        return signals;
    }

    /// <summary>The defined figures of a report under their signal names.</summary>
    public static IEnumerable<(string Name, double Value)> Figures(FairnessReport report)
    {
        if (report.DemographicParityDifference is { } parity)
        {
            yield return (Parity, parity);
        }

        if (report.DisparateImpactRatio is { } impact)
        {
            yield return (Impact, impact);
        }

        if (report.EqualOpportunityDifference is { } opportunity)
        {
            yield return (Opportunity, opportunity);
        }
    }

    /// <inheritdoc />
    protected override bool Applies(ModelMonitoringConfig config) => config is { Task: not null, Fairness: not null };

    /// <inheritdoc />
    protected override async Task<LiveFairness> EvaluateAsync(IPredictionLogStore store, string model, string version, ModelMonitoringConfig config, CancellationToken cancellationToken)
    {
        var records = await store.QueryAsync(new PredictionQuery(model, version, Limit: config.Fairness!.Window), cancellationToken).ConfigureAwait(false);
        return FairnessEvaluation.Evaluate(model, version, config.Task!, config.Fairness, records, Time.GetUtcNow());
    }

    private static void Figure(PrometheusWriter writer, IReadOnlyList<LiveFairness> current, string name, string help, Func<FairnessReport, double?> figure)
    {
        var family = "inferd_fairness_" + name;
        writer.Family(family, "gauge", help);
        foreach (var f in current)
        {
            if (figure(f.Report) is { } value)
            {
                writer.Sample(family, value, ("model", f.Model), ("version", f.Version), ("attribute", f.Attribute));
            }
        }
    }
}
