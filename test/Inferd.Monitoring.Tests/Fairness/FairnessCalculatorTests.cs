using Inferd.Monitoring.Fairness;

namespace Inferd.Monitoring.Tests.Fairness;

public sealed class FairnessCalculatorTests
{
    private const double Tolerance = 1e-12;

    // Twelve rows in three groups of four. P/N = predicted positive/negative; T/F = actual positive/negative; ? = no feedback.
    //   a: P T, P T, P F, N T   -> positive rate 3/4; actual positives 3, true positives 2 -> TPR 2/3
    //   b: P T, P F, N T, N F   -> positive rate 2/4; actual positives 2, true positives 1 -> TPR 1/2
    //   c: P T, N T, N F, N ?   -> positive rate 1/4; actual positives 2, true positives 1 -> TPR 1/2 (3 rows with truth)
    // Demographic parity difference = 3/4 - 1/4 = 1/2.
    // Disparate impact ratio with privileged a = min(1, (2/4)/(3/4), (1/4)/(3/4)) = 1/3.
    // Equal opportunity difference = 2/3 - 1/2 = 1/6.
    private static readonly FairnessRow[] HandRows =
    [
        new("a", true, true), new("a", true, true), new("a", true, false), new("a", false, true),
        new("b", true, true), new("b", true, false), new("b", false, true), new("b", false, false),
        new("c", true, true), new("c", false, true), new("c", false, false), new("c", false, null),
    ];

    [Fact]
    public void Compute_HandExample_EqualsHandValues()
    {
        var report = FairnessCalculator.Compute(HandRows, privileged: "a");

        Assert.Equal(["a", "b", "c"], report.Groups.Select(g => g.Group));
        Assert.Equal([0.75, 0.5, 0.25], report.Groups.Select(g => g.PositiveRate));
        Assert.Equal([3, 2, 2], report.Groups.Select(g => g.ActualPositive));
        Assert.Equal([2, 1, 1], report.Groups.Select(g => g.TruePositive));
        Assert.Equal(2.0 / 3, report.Groups[0].TruePositiveRate!.Value, Tolerance);
        Assert.Equal(0.5, report.Groups[1].TruePositiveRate!.Value, Tolerance);
        Assert.Equal(0.5, report.Groups[2].TruePositiveRate!.Value, Tolerance);
        Assert.Equal("a", report.ReferenceGroup);
        Assert.Equal(0.5, report.DemographicParityDifference!.Value, Tolerance);
        Assert.Equal(1.0 / 3, report.DisparateImpactRatio!.Value, Tolerance);
        Assert.Equal(1.0 / 6, report.EqualOpportunityDifference!.Value, Tolerance);
        Assert.Equal(12, report.Rows);
        Assert.Equal(11, report.RowsWithTruth);
    }

    [Fact]
    public void Compute_PrivilegedNotConfigured_ComparesWithHighestRate()
    {
        // a: rate 1/4; b: rate 3/4. Without a privileged group the reference is b, the highest: ratio (1/4)/(3/4) = 1/3.
        FairnessRow[] rows =
        [
            new("a", true, null), new("a", false, null), new("a", false, null), new("a", false, null),
            new("b", true, null), new("b", true, null), new("b", true, null), new("b", false, null),
        ];

        var report = FairnessCalculator.Compute(rows, privileged: null);

        Assert.Equal("b", report.ReferenceGroup);
        Assert.Equal(0.25 / 0.75, report.DisparateImpactRatio!.Value, Tolerance);
        Assert.Equal(0.5, report.DemographicParityDifference!.Value, Tolerance);
        Assert.Null(report.EqualOpportunityDifference);
        Assert.All(report.Groups, g => Assert.Null(g.TruePositiveRate));
    }

    [Fact]
    public void Compute_PrivilegedGroupAbsent_FallsBackToHighestRate()
    {
        // Hashed attribute values never equal the configured plain name.
        var report = FairnessCalculator.Compute(HandRows, privileged: "male");

        Assert.Equal("a", report.ReferenceGroup);
        Assert.Equal(1.0 / 3, report.DisparateImpactRatio!.Value, Tolerance);
    }

    [Fact]
    public void Compute_PrivilegedRateBelowOthers_RatioIsTheLowestOfAllGroups()
    {
        // Privileged c has rate 1/4: ratios a 3, b 2, c 1; the lowest is c's own 1.
        var report = FairnessCalculator.Compute(HandRows, privileged: "c");

        Assert.Equal(1.0, report.DisparateImpactRatio!.Value, Tolerance);
    }

    [Fact]
    public void Compute_OneGroup_FiguresUndefined()
    {
        var report = FairnessCalculator.Compute([new("a", true, true), new("a", false, false)], privileged: null);

        Assert.Single(report.Groups);
        Assert.Null(report.DemographicParityDifference);
        Assert.Null(report.DisparateImpactRatio);
        Assert.Null(report.EqualOpportunityDifference);
    }

    [Fact]
    public void Compute_ReferenceRateZero_ImpactUndefined()
    {
        var report = FairnessCalculator.Compute([new("a", false, null), new("b", true, null)], privileged: "a");

        Assert.Equal(1.0, report.DemographicParityDifference!.Value, Tolerance);
        Assert.Null(report.DisparateImpactRatio);
    }

    [Fact]
    public void Compute_NoRows_EmptyReport()
    {
        var report = FairnessCalculator.Compute([], privileged: "a");

        Assert.Empty(report.Groups);
        Assert.Null(report.ReferenceGroup);
        Assert.Equal(0, report.Rows);
    }
}
