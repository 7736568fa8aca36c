using Inferd.Monitoring.Accuracy;
using Inferd.Monitoring.Configuration;
using static Inferd.Monitoring.Tests.Accuracy.LoggedRecords;

namespace Inferd.Monitoring.Tests.Accuracy;

public sealed class AccuracyEvaluationTests
{
    private const double Tolerance = 1e-12;
    private static readonly string NoInputs = "{}";

    [Fact]
    public void Evaluate_BinaryScoresBatchedAndSingle_JoinsEveryRow()
    {
        var task = new TaskSettings(TaskType.Binary, "p", Threshold: 0.5, PositiveLabel: "spam");
        var records = new[]
        {
            // A batch of three rows with label truth, then a single row with bool truth and one with 0/1 truth.
            Make("r1", NoInputs, Tensor("p", "FP32", "[3]", "[0.9,0.2,0.6]"), """["spam","ham","ham"]"""),
            Make("r2", NoInputs, Tensor("p", "FP32", "[1,1]", "[0.3]"), "true"),
            Make("r3", NoInputs, Tensor("p", "FP32", "[1]", "[0.7]"), "1"),
        };

        // Rows: (0.9, T) TP, (0.2, F) TN, (0.6, F) FP, (0.3, T) FN, (0.7, T) TP.
        var result = AccuracyEvaluation.Evaluate("m", "1", task, records, Start);
        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);

        Assert.Equal(5, result.Rows);
        Assert.Equal(0, result.Skipped);
        Assert.Equal(3, result.Records);
        Assert.Equal(0.6, metrics["accuracy"], Tolerance);
        Assert.Equal(2.0 / 3, metrics["precision"], Tolerance);
        Assert.Equal(2.0 / 3, metrics["recall"], Tolerance);
        // Positives 0.9, 0.3, 0.7 against negatives 0.2, 0.6: wins 2 + 1 + 2 = 5 of 6.
        Assert.Equal(5.0 / 6, metrics["auc"], Tolerance);
    }

    [Fact]
    public void Evaluate_BinaryLabelOutputAndTwoClassScores_ReadsTheDecision()
    {
        var labels = new TaskSettings(TaskType.Binary, "label", PositiveLabel: "spam");
        var twoClass = new TaskSettings(TaskType.Binary, "probabilities");

        var byLabel = AccuracyEvaluation.Evaluate("m", "1", labels, [Make("a", NoInputs, Tensor("label", "BYTES", "[2]", """["spam","ham"]"""), """["spam","spam"]""")], Start);
        // Two elements per row: the second is the positive class's score (0.8 and 0.3).
        var byScores = AccuracyEvaluation.Evaluate("m", "1", twoClass, [Make("b", NoInputs, Tensor("probabilities", "FP32", "[2,2]", "[0.2,0.8,0.7,0.3]"), "[1,1]")], Start);

        Assert.Equal(0.5, byLabel.Metrics.Single(m => m.Name == "accuracy").Value, Tolerance);
        Assert.Equal(0.5, byScores.Metrics.Single(m => m.Name == "accuracy").Value, Tolerance);
    }

    [Fact]
    public void Evaluate_Regression_MaeAndRmseOverRows()
    {
        var task = new TaskSettings(TaskType.Regression, "wage");
        var records = new[]
        {
            Make("a", NoInputs, Tensor("wage", "FP32", "[2]", "[3,5]"), "[2.5,5]"),
            Make("b", NoInputs, Tensor("wage", "FP32", "[1]", "[2]"), "4"),
            Make("c", NoInputs, Tensor("wage", "FP32", "[1]", "[7]"), "[[6]]"),
        };

        var metrics = AccuracyEvaluation.Evaluate("m", "1", task, records, Start).Metrics.ToDictionary(m => m.Name, m => m.Value);

        Assert.Equal(0.875, metrics["mae"], Tolerance);
        Assert.Equal(Math.Sqrt(1.3125), metrics["rmse"], Tolerance);
    }

    [Fact]
    public void Evaluate_MulticlassScoresAndLabels_ArgmaxComparedWithTruth()
    {
        var task = new TaskSettings(TaskType.Multiclass, "Y");
        var records = new[]
        {
            // Argmax 1 and 2 against truth 1 and 0.
            Make("a", NoInputs, Tensor("Y", "FP32", "[2,3]", "[0.1,0.7,0.2,0.3,0.3,0.4]"), "[1,0]"),
            Make("b", NoInputs, Tensor("Y", "BYTES", "[1]", """["cat"]"""), "\"cat\""),
        };

        var accuracy = AccuracyEvaluation.Evaluate("m", "1", task, records, Start).Metrics.Single();

        Assert.Equal(2.0 / 3, accuracy.Value, Tolerance);
    }

    [Fact]
    public void Evaluate_UnusableRecords_SkippedAndCounted()
    {
        var task = new TaskSettings(TaskType.Regression, "wage");
        var records = new[]
        {
            Make("ok", NoInputs, Tensor("wage", "FP32", "[1]", "[3]"), "2"),
            Make("redacted", NoInputs, """{"wage":{"datatype":"FP32","shape":[1],"redacted":true}}""", "2"),
            Make("rows-mismatch", NoInputs, Tensor("wage", "FP32", "[3]", "[1,2,3]"), "[1,2]"),
            Make("other-output", NoInputs, Tensor("price", "FP32", "[1]", "[3]"), "2"),
            Make("text-truth", NoInputs, Tensor("wage", "FP32", "[1]", "[3]"), "\"high\""),
            Make("no-truth", NoInputs, Tensor("wage", "FP32", "[1]", "[3]"), null),
        };

        var result = AccuracyEvaluation.Evaluate("m", "1", task, records, Start);

        Assert.Equal(1, result.Rows);
        // One row each for the redacted, other-output, text-truth and no-truth records; two for the mismatch.
        Assert.Equal(6, result.Skipped);
        Assert.Equal(1.0, result.Metrics.Single(m => m.Name == "mae").Value, Tolerance);
    }
}
