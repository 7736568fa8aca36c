using Inferd.Monitoring.Accuracy;
using Inferd.Monitoring.Configuration;
using Inferd.Monitoring.PredictionLog;

namespace Inferd.Monitoring.Fairness;

/// <summary>Reads fairness rows from logged records: the attribute from the inputs, the outcome from the outputs, truth from feedback.</summary>
internal static class FairnessEvaluation
{
    /// <summary>The rows of <paramref name="records"/> and how many rows or records were left out.</summary>
    public static (List<FairnessRow> Rows, int Skipped) Rows(TaskSettings task, FairnessSettings fairness, IReadOnlyList<PredictionRecord> records)
    {
        var rows = new List<FairnessRow>();
        var skipped = 0;
        foreach (var record in records)
        {
            var groups = LoggedTensors.Read(record.InputsJson, fairness.Attribute);
            var output = LoggedTensors.Read(record.OutputsJson, task.Output);
            var perRow = groups is null || output is null ? 0 : LoggedTensors.PerRow(output.Length, groups.Length);
            if (perRow == 0)
            {
                skipped += Math.Max(1, groups?.Length ?? 1);
                continue;
            }

            // Truth of another row count than the attribute (a client mistake) is ignored: rates still count the row.
            var truth = LoggedTensors.Truth(record.TruthJson);
            if (truth is not null && truth.Length != groups!.Length)
            {
                truth = null;
            }

            for (var i = 0; i < groups!.Length; i++)
            {
                if (!TaskOutcome.TryPredictedPositive(output.AsSpan(i * perRow, perRow), task, out var predicted))
                {
                    skipped++;
                    continue;
                }

                bool? actual = truth is not null && TaskOutcome.TryActualPositive(truth[i], task, out var positive) ? positive : null;
                rows.Add(new FairnessRow(groups[i].Key, predicted, actual));
            }
        }

        return (rows, skipped);
    }

    /// <summary>The version's figures over <paramref name="records"/>.</summary>
    public static LiveFairness Evaluate(string model, string version, TaskSettings task, FairnessSettings fairness, IReadOnlyList<PredictionRecord> records, DateTimeOffset at)
    {
        var (rows, skipped) = Rows(task, fairness, records);
        return new LiveFairness(model, version, fairness.Attribute, fairness.Privileged, records.Count, skipped, FairnessCalculator.Compute(rows, fairness.Privileged), at);
    }
}
