using Inferd.Monitoring.Accuracy;

namespace Inferd.Monitoring.Tests.Accuracy;

public sealed class AccuracyCalculatorTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Binary_ScoresWithTies_EqualHandValues()
    {
        // Threshold 0.5. Positives score 0.9, 0.8, 0.6, 0.4; negatives 0.8, 0.4, 0.4, 0.1.
        // Confusion: TP 3 (0.9, 0.8, 0.6), FP 1 (0.8), TN 3 (0.4, 0.4, 0.1), FN 1 (0.4).
        // accuracy 6/8, precision 3/4, recall 3/4, F1 3/4.
        // AUC by pairs (16), a tie counting 1/2: 0.9 beats 4; 0.8 beats 3 and ties 1 (3.5); 0.6 beats 3;
        // 0.4 beats 1 and ties 2 (2); total 12.5 / 16 = 0.78125.
        BinaryRow[] rows =
        [
            Row(0.9, true), Row(0.8, true), Row(0.8, false), Row(0.6, true),
            Row(0.4, false), Row(0.4, false), Row(0.4, true), Row(0.1, false),
        ];

        var metrics = AccuracyCalculator.Binary(rows).ToDictionary(m => m.Name, m => m.Value);

        Assert.Equal(["accuracy", "precision", "recall", "f1", "auc"], metrics.Keys);
        Assert.Equal(0.75, metrics["accuracy"], Tolerance);
        Assert.Equal(0.75, metrics["precision"], Tolerance);
        Assert.Equal(0.75, metrics["recall"], Tolerance);
        Assert.Equal(0.75, metrics["f1"], Tolerance);
        Assert.Equal(0.78125, metrics["auc"], Tolerance);
    }

    [Fact]
    public void Binary_PrecisionAndRecallDiffer_F1IsTheirHarmonicMean()
    {
        // TP 1, FP 2, FN 0, TN 1: precision 1/3, recall 1, F1 = 2 * (1/3) / (4/3) = 1/2; accuracy 2/4.
        BinaryRow[] rows = [Row(0.9, true), Row(0.7, false), Row(0.6, false), Row(0.2, false)];

        var metrics = AccuracyCalculator.Binary(rows).ToDictionary(m => m.Name, m => m.Value);

        Assert.Equal(1.0 / 3, metrics["precision"], Tolerance);
        Assert.Equal(1.0, metrics["recall"], Tolerance);
        Assert.Equal(0.5, metrics["f1"], Tolerance);
        Assert.Equal(0.5, metrics["accuracy"], Tolerance);
        Assert.Equal(1.0, metrics["auc"], Tolerance);
    }

    [Fact]
    public void Binary_OneClassAndNoPredictedPositive_UndefinedFiguresLeftOut()
    {
        BinaryRow[] rows = [Row(0.1, false), Row(0.2, false)];

        var names = AccuracyCalculator.Binary(rows).Select(m => m.Name);

        // No predicted positive: no precision (so no F1); no actual positive: no recall; one class: no AUC.
        Assert.Equal(["accuracy"], names);
    }

    [Fact]
    public void Auc_AllScoresTied_IsOneHalf()
    {
        Assert.Equal(0.5, AccuracyCalculator.Auc([Row(0.3, true), Row(0.3, false), Row(0.3, true), Row(0.3, false)])!.Value, Tolerance);
    }

    [Fact]
    public void Regression_HandValues_MaeAndRmse()
    {
        // Errors 0.5, 0, -2, 1: MAE = 3.5 / 4 = 0.875; RMSE = sqrt((0.25 + 0 + 4 + 1) / 4) = sqrt(1.3125).
        RegressionRow[] rows = [new(3, 2.5), new(5, 5), new(2, 4), new(7, 6)];

        var metrics = AccuracyCalculator.Regression(rows).ToDictionary(m => m.Name, m => m.Value);

        Assert.Equal(0.875, metrics["mae"], Tolerance);
        Assert.Equal(Math.Sqrt(1.3125), metrics["rmse"], Tolerance);
    }

    [Fact]
    public void Multiclass_HandValues_Accuracy()
    {
        LabelRow[] rows = [new("cat", "cat"), new("dog", "cat"), new("2", "2"), new("bird", "bird"), new("1", "0")];

        var metric = Assert.Single(AccuracyCalculator.Multiclass(rows));

        Assert.Equal("accuracy", metric.Name);
        Assert.Equal(0.6, metric.Value, Tolerance);
    }

    [Fact]
    public void Calculators_NoRows_NoFigures()
    {
        Assert.Empty(AccuracyCalculator.Binary([]));
        Assert.Empty(AccuracyCalculator.Multiclass([]));
        Assert.Empty(AccuracyCalculator.Regression([]));
    }

    private static BinaryRow Row(double score, bool actual) => new(score, score >= 0.5, actual);
}
