using System.Buffers;
using System.Text.Json;
using Inferd.Hosting.Rest;
using Inferd.Monitoring.Accuracy;
using Inferd.Monitoring.Alerts;
using Inferd.Monitoring.Configuration;
using Inferd.Monitoring.Fairness;

namespace Inferd.Hosting.Monitoring;

/// <summary>The JSON bodies of the accuracy, fairness and alerts routes (field names in docs/accuracy-fairness-alerts.md).</summary>
internal static class EvaluationJson
{
    /// <summary><c>{"model", "task", "output", "window", "versions": [{"version", "records", "rows", "skipped", "metrics": {...}, "computed_at"}]}</c>.</summary>
    public static ReadOnlyMemory<byte> Accuracy(string model, TaskSettings task, IReadOnlyList<LiveAccuracy> versions) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WriteString("task", Name(task.Type));
        w.WriteString("output", task.Output);
        w.WriteNumber("window", LiveAccuracyMonitor.Window);
        w.WriteStartArray("versions");
        foreach (var v in versions)
        {
            w.WriteStartObject();
            w.WriteString("version", v.Version);
            w.WriteNumber("records", v.Records);
            w.WriteNumber("rows", v.Rows);
            w.WriteNumber("skipped", v.Skipped);
            w.WriteStartObject("metrics");
            foreach (var metric in v.Metrics)
            {
                AlertEvent.WriteNumber(w, metric.Name, metric.Value);
            }

            w.WriteEndObject();
            w.WriteString("computed_at", v.At);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>
    /// <c>{"model", "attribute", "privileged", "window", "positive", "versions": [{"version", "records", "rows",
    /// "rows_with_truth", "skipped", "reference_group", "groups": [...], the three figures, "computed_at"}]}</c>.
    /// </summary>
    public static ReadOnlyMemory<byte> Fairness(string model, TaskSettings task, FairnessSettings fairness, IReadOnlyList<LiveFairness> versions) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WriteString("attribute", fairness.Attribute);
        w.WriteString("privileged", fairness.Privileged);
        w.WriteNumber("window", fairness.Window);
        w.WriteString("positive", Positive(task));
        w.WriteStartArray("versions");
        foreach (var v in versions)
        {
            var r = v.Report;
            w.WriteStartObject();
            w.WriteString("version", v.Version);
            w.WriteNumber("records", v.Records);
            w.WriteNumber("rows", r.Rows);
            w.WriteNumber("rows_with_truth", r.RowsWithTruth);
            w.WriteNumber("skipped", v.Skipped);
            w.WriteString("reference_group", r.ReferenceGroup);
            w.WriteStartArray("groups");
            foreach (var g in r.Groups)
            {
                w.WriteStartObject();
                w.WriteString("group", g.Group);
                w.WriteNumber("rows", g.Rows);
                w.WriteNumber("predicted_positive", g.PredictedPositive);
                w.WriteNumber("positive_rate", g.PositiveRate);
                w.WriteNumber("with_truth", g.WithTruth);
                w.WriteNumber("actual_positive", g.ActualPositive);
                w.WriteNumber("true_positive", g.TruePositive);
                Nullable(w, "true_positive_rate", g.TruePositiveRate);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            Nullable(w, FairnessMonitor.Parity, r.DemographicParityDifference);
            Nullable(w, FairnessMonitor.Impact, r.DisparateImpactRatio);
            Nullable(w, FairnessMonitor.Opportunity, r.EqualOpportunityDifference);
            w.WriteString("computed_at", v.At);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>
    /// <c>{"interval_secs", "last_evaluation", "webhook": {"url", "delivered", "failed", "dropped"} | null, "rules":
    /// [{"name", "kind", "model", "version", "signal", "above", "below", "alerts": [{"model", "version", "signal",
    /// "state", "value", "threshold", "since", "evaluated_at", "last_delivery"}]}]}</c>.
    /// </summary>
    public static ReadOnlyMemory<byte> Alerts(AlertEngine engine) => Build(w =>
    {
        var states = engine.States.ToLookup(s => s.Rule.Name, StringComparer.Ordinal);
        w.WriteStartObject();
        w.WriteNumber("interval_secs", engine.Rules.Interval.TotalSeconds);
        if (engine.LastEvaluation is { } last)
        {
            w.WriteString("last_evaluation", last);
        }
        else
        {
            w.WriteNull("last_evaluation");
        }

        if (engine.Webhook is { } webhook)
        {
            w.WriteStartObject("webhook");
            // Without user info and query: either may carry a secret token.
            w.WriteString("url", new UriBuilder(webhook.Settings.Url) { UserName = "", Password = "", Query = "" }.Uri.ToString());
            w.WriteNumber("delivered", webhook.Delivered);
            w.WriteNumber("failed", webhook.Failed);
            w.WriteNumber("dropped", webhook.Dropped);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("webhook");
        }

        w.WriteStartArray("rules");
        foreach (var rule in engine.Rules.Rules)
        {
            w.WriteStartObject();
            w.WriteString("name", rule.Name);
            w.WriteString("kind", rule.Kind);
            w.WriteString("model", rule.Model);
            w.WriteString("version", rule.Version);
            w.WriteString("signal", rule.Signal);
            Nullable(w, "above", rule.Above);
            Nullable(w, "below", rule.Below);
            w.WriteStartArray("alerts");
            foreach (var s in states[rule.Name])
            {
                w.WriteStartObject();
                w.WriteString("model", s.Signal.Model);
                w.WriteString("version", s.Signal.Version);
                w.WriteString("signal", s.Signal.Name);
                w.WriteString("state", s.State);
                AlertEvent.WriteNumber(w, "value", s.Signal.Value);
                AlertEvent.WriteNumber(w, "threshold", s.Threshold);
                w.WriteString("since", s.Since);
                w.WriteString("evaluated_at", s.EvaluatedAt);
                if (s.LastDelivery is { } d)
                {
                    w.WriteStartObject("last_delivery");
                    w.WriteString("at", d.At);
                    w.WriteString("result", d.Result);
                    w.WriteNumber("attempts", d.Attempts);
                    w.WriteString("error", d.Error);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("last_delivery");
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>What counts as the positive outcome, in words, e.g. <c>wage &gt;= 7.78</c> or <c>spam_probability == spam</c>.</summary>
    public static string Positive(TaskSettings task) => task.Type switch
    {
        TaskType.Binary when task.PositiveLabel is not null => $"{task.Output} >= {Format(task.Threshold)}, or a label equal to {task.PositiveLabel}",
        TaskType.Binary or TaskType.Regression => $"{task.Output} >= {Format(task.Threshold)}",
        _ => task.PositiveLabel is null ? "none (multiclass without monitoring.task.positive_label)" : $"{task.Output} == {task.PositiveLabel}",
    };

    private static string Name(TaskType type) => type switch
    {
        TaskType.Binary => "binary",
        TaskType.Multiclass => "multiclass",
        _ => "regression",
    };

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static void Nullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            AlertEvent.WriteNumber(w, name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static ReadOnlyMemory<byte> Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, RestJson.Readable))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }
}
