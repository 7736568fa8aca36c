using Inferd.Monitoring.Configuration;
using Inferd.Monitoring.PredictionLog;

namespace Inferd.Monitoring.Accuracy;

/// <summary>Joins logged predictions with their feedback, row by row, and computes the task's figures.</summary>
internal static class AccuracyEvaluation
{
    /// <summary>Evaluates <paramref name="records"/> (records without truth are skipped).</summary>
    public static LiveAccuracy Evaluate(string model, string version, TaskSettings task, IReadOnlyList<PredictionRecord> records, DateTimeOffset at)
    {
        var binary = new List<BinaryRow>();
        var labels = new List<LabelRow>();
        var values = new List<RegressionRow>();
        var skipped = 0;
        foreach (var record in records)
        {
            var truth = LoggedTensors.Truth(record.TruthJson);
            var output = LoggedTensors.Read(record.OutputsJson, task.Output);
            var perRow = truth is null || output is null ? 0 : LoggedTensors.PerRow(output.Length, truth.Length);
            if (perRow == 0)
            {
                skipped += Math.Max(1, truth?.Length ?? 1);
                continue;
            }

            for (var i = 0; i < truth!.Length; i++)
            {
                var row = output.AsSpan(i * perRow, perRow);
                var joined = task.Type switch
                {
                    TaskType.Binary => AddBinary(binary, row, truth[i], task),
                    TaskType.Multiclass => AddLabel(labels, row, truth[i]),
                    _ => AddValue(values, row, truth[i]),
                };
                skipped += joined ? 0 : 1;
            }
        }

        var (rows, metrics) = task.Type switch
        {
            TaskType.Binary => (binary.Count, AccuracyCalculator.Binary(binary)),
            TaskType.Multiclass => (labels.Count, AccuracyCalculator.Multiclass(labels)),
            _ => (values.Count, AccuracyCalculator.Regression(values)),
        };
        return new LiveAccuracy(model, version, task.Type, records.Count, rows, skipped, metrics, at);
    }

    private static bool AddBinary(List<BinaryRow> rows, ReadOnlySpan<LoggedValue> row, LoggedValue truth, TaskSettings task)
    {
        if (!TaskOutcome.TryBinaryPrediction(row, task, out var score, out var predicted) || !TaskOutcome.TryBinaryTruth(truth, task, out var actual))
        {
            return false;
        }

        rows.Add(new BinaryRow(score, predicted, actual));
        return true;
    }

    private static bool AddLabel(List<LabelRow> rows, ReadOnlySpan<LoggedValue> row, LoggedValue truth)
    {
        if (!TaskOutcome.TryLabel(row, out var predicted))
        {
            return false;
        }

        rows.Add(new LabelRow(predicted, truth.Key));
        return true;
    }

    private static bool AddValue(List<RegressionRow> rows, ReadOnlySpan<LoggedValue> row, LoggedValue truth)
    {
        if (!TaskOutcome.TryValue(row, out var predicted) || !truth.TryNumber(out var actual) || !double.IsFinite(actual))
        {
            return false;
        }

        rows.Add(new RegressionRow(predicted, actual));
        return true;
    }
}
