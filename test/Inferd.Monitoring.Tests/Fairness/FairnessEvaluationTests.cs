using Inferd.Monitoring.Configuration;
using Inferd.Monitoring.Fairness;
using static Inferd.Monitoring.Tests.Accuracy.LoggedRecords;

namespace Inferd.Monitoring.Tests.Fairness;

public sealed class FairnessEvaluationTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Rows_RegressionWithHashedAttribute_PositiveAtOrAboveThreshold()
    {
        var task = new TaskSettings(TaskType.Regression, "wage", Threshold: 10);
        var fairness = new FairnessSettings("gender", Privileged: "male");
        var records = new[]
        {
            // Hashed values still group: h:aa twice, h:bb twice. 10 is exactly the threshold, so positive.
            Make("a", Tensor("gender", "BYTES", "[2]", """["h:aa","h:bb"]"""), Tensor("wage", "FP32", "[2]", "[12,9]"), "[11,12]"),
            Make("b", Tensor("gender", "BYTES", "[1]", """["h:aa"]"""), Tensor("wage", "FP32", "[1]", "[10]"), null),
            Make("c", Tensor("gender", "BYTES", "[1]", """["h:bb"]"""), Tensor("wage", "FP32", "[1]", "[4]"), "3"),
        };

        var (rows, skipped) = FairnessEvaluation.Rows(task, fairness, records);

        Assert.Equal(0, skipped);
        Assert.Equal(
            [new FairnessRow("h:aa", true, true), new FairnessRow("h:bb", false, true), new FairnessRow("h:aa", true, null), new FairnessRow("h:bb", false, false)],
            rows);
    }

    [Fact]
    public void Evaluate_BinaryWithBoolAndNumberAttributes_GroupsByValueText()
    {
        var task = new TaskSettings(TaskType.Binary, "p", Threshold: 0.5);
        var fairness = new FairnessSettings("over_40");
        var records = new[]
        {
            Make("a", Tensor("over_40", "BOOL", "[3]", "[true,false,true]"), Tensor("p", "FP32", "[3]", "[0.9,0.8,0.1]"), null),
            Make("b", Tensor("over_40", "BOOL", "[1]", "[false]"), Tensor("p", "FP32", "[1]", "[0.2]"), null),
        };

        var result = FairnessEvaluation.Evaluate("m", "1", task, fairness, records, Start);

        // false: 0.8 P, 0.2 N -> 1/2; true: 0.9 P, 0.1 N -> 1/2.
        Assert.Equal(["false", "true"], result.Report.Groups.Select(g => g.Group));
        Assert.Equal(0.0, result.Report.DemographicParityDifference!.Value, Tolerance);
        Assert.Equal(1.0, result.Report.DisparateImpactRatio!.Value, Tolerance);
        Assert.Equal(2, result.Records);
    }

    [Fact]
    public void Rows_AttributeRedactedOrOutputMissing_SkippedAndCounted()
    {
        var task = new TaskSettings(TaskType.Regression, "wage", Threshold: 10);
        var fairness = new FairnessSettings("gender");
        var records = new[]
        {
            Make("redacted", """{"gender":{"datatype":"BYTES","shape":[2],"redacted":true}}""", Tensor("wage", "FP32", "[2]", "[1,2]"), null),
            Make("no-output", Tensor("gender", "BYTES", "[1]", """["f"]"""), "{}", null),
            Make("nan", Tensor("gender", "BYTES", "[1]", """["f"]"""), Tensor("wage", "FP32", "[1]", """["NaN"]"""), null),
            Make("ok", Tensor("gender", "BYTES", "[1]", """["f"]"""), Tensor("wage", "FP32", "[1]", "[11]"), "[1,2]"),
        };

        var (rows, skipped) = FairnessEvaluation.Rows(task, fairness, records);

        // Skipped: 1 record without a readable attribute, 1 without the output, 1 NaN row. The last row's truth has
        // two entries for one row, so it is ignored and the row counts without truth.
        Assert.Equal(3, skipped);
        Assert.Equal([new FairnessRow("f", true, null)], rows);
    }
}
