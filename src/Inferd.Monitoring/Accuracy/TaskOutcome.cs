using System.Globalization;
using System.Text.Json;
using Inferd.Monitoring.Configuration;

namespace Inferd.Monitoring.Accuracy;

/// <summary>
/// Turns one row of a logged output, or one truth entry, into what the task compares: a binary decision with its
/// score, a class label, or a number. The rules are those of <c>monitoring.task</c> (docs/accuracy-fairness-alerts.md).
/// </summary>
internal static class TaskOutcome
{
    /// <summary>
    /// A binary prediction: a number is a score (positive at or above the threshold; with two elements per row the
    /// second is the positive class's score), a bool is the decision, a string is positive when it is the positive label.
    /// </summary>
    public static bool TryBinaryPrediction(ReadOnlySpan<LoggedValue> row, TaskSettings task, out double score, out bool positive)
    {
        score = 0;
        positive = false;
        if (row.Length is not (1 or 2))
        {
            return false;
        }

        var value = row[^1];
        if (value.Kind == JsonValueKind.String && task.PositiveLabel is not null && row.Length == 1)
        {
            positive = value.Text == task.PositiveLabel;
            score = positive ? 1 : 0;
            return true;
        }

        if (value.Kind is JsonValueKind.True or JsonValueKind.False)
        {
            positive = value.Kind == JsonValueKind.True;
            score = positive ? 1 : 0;
            return true;
        }

        // Numbers sent as text parse too; a score of exactly the threshold is positive.
        if (!value.TryNumber(out score) || double.IsNaN(score))
        {
            return false;
        }

        positive = score >= task.Threshold;
        return true;
    }

    /// <summary>Binary truth: a bool, 0 or 1, or a label (positive when it equals the positive label, or "true"/"1").</summary>
    public static bool TryBinaryTruth(LoggedValue truth, TaskSettings task, out bool positive)
    {
        switch (truth.Kind)
        {
            case JsonValueKind.True or JsonValueKind.False:
                positive = truth.Kind == JsonValueKind.True;
                return true;
            case JsonValueKind.Number when truth.Number is 0 or 1:
                positive = truth.Number == 1;
                return true;
            case JsonValueKind.String when task.PositiveLabel is not null:
                positive = truth.Text == task.PositiveLabel;
                return true;
            case JsonValueKind.String when truth.Text is "true" or "false" or "1" or "0":
                positive = truth.Text is "true" or "1";
                return true;
            default:
                positive = false;
                return false;
        }
    }

    /// <summary>A class label: a string or number as written, or the index of the largest score when a row has several.</summary>
    public static bool TryLabel(ReadOnlySpan<LoggedValue> row, out string label)
    {
        label = "";
        if (row.Length == 1)
        {
            label = row[0].Key;
            return true;
        }

        var best = -1;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < row.Length; i++)
        {
            if (!row[i].TryNumber(out var score) || double.IsNaN(score))
            {
                return false;
            }

            if (best < 0 || score > bestScore)
            {
                best = i;
                bestScore = score;
            }
        }

        label = best.ToString(CultureInfo.InvariantCulture);
        return best >= 0;
    }

    /// <summary>A regression value: one finite number per row.</summary>
    public static bool TryValue(ReadOnlySpan<LoggedValue> row, out double value)
    {
        value = 0;
        return row.Length == 1 && row[0].TryNumber(out value) && double.IsFinite(value);
    }

    /// <summary>
    /// Whether a prediction is the positive outcome fairness counts: binary as <see cref="TryBinaryPrediction"/>;
    /// regression: a value at or above the threshold; multiclass: the positive label.
    /// </summary>
    public static bool TryPredictedPositive(ReadOnlySpan<LoggedValue> row, TaskSettings task, out bool positive)
    {
        positive = false;
        switch (task.Type)
        {
            case TaskType.Binary:
                return TryBinaryPrediction(row, task, out _, out positive);
            case TaskType.Regression when TryValue(row, out var value):
                positive = value >= task.Threshold;
                return true;
            case TaskType.Multiclass when task.PositiveLabel is not null && TryLabel(row, out var label):
                positive = label == task.PositiveLabel;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether the truth is the positive outcome, by the same rules as <see cref="TryPredictedPositive"/>.</summary>
    public static bool TryActualPositive(LoggedValue truth, TaskSettings task, out bool positive)
    {
        positive = false;
        switch (task.Type)
        {
            case TaskType.Binary:
                return TryBinaryTruth(truth, task, out positive);
            case TaskType.Regression when truth.TryNumber(out var value) && double.IsFinite(value):
                positive = value >= task.Threshold;
                return true;
            case TaskType.Multiclass when task.PositiveLabel is not null:
                positive = truth.Key == task.PositiveLabel;
                return true;
            default:
                return false;
        }
    }
}
