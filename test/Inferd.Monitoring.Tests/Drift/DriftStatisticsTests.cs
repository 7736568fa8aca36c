using Inferd.Monitoring.Drift;

namespace Inferd.Monitoring.Tests.Drift;

/// <summary>The drift statistics against tabulated values and hand computations.</summary>
public sealed class DriftStatisticsTests
{
    [Theory]
    [InlineData(1.2238478702170825, 0.10)] // Kolmogorov distribution's 90% quantile
    [InlineData(1.3580986393225505, 0.05)] // 95%
    [InlineData(1.6276236115189504, 0.01)] // 99%
    [InlineData(1.0, 0.26999967167735456)]
    [InlineData(0.5, 0.9639452436648751)] // below 1.18: the other series
    [InlineData(0.0, 1.0)]
    public void KolmogorovSurvival_TabulatedValues_Match(double lambda, double expected)
    {
        Assert.Equal(expected, DriftStatistics.KolmogorovSurvival(lambda), 1e-12);
    }

    [Fact]
    public void KolmogorovSurvival_BothSeriesAtTheSwitch_Agree()
    {
        Assert.Equal(DriftStatistics.KolmogorovSurvival(1.1799999), DriftStatistics.KolmogorovSurvival(1.18), 1e-6);
    }

    [Fact]
    public void KolmogorovSmirnovPValue_KnownDAndN_UsesEffectiveNWithStephensCorrection()
    {
        // D = 0.05, n = m = 1,000: effective n = 500, λ = (√500 + 0.12 + 0.11/√500)·0.05 = 1.12428, Q(λ) = 0.15955.
        Assert.Equal(0.15955408974378782, DriftStatistics.KolmogorovSmirnovPValue(0.05, 1000, 1000), 1e-12);
    }

    [Fact]
    public void KolmogorovSmirnov_KnownSamples_ReturnsLargestCdfGap()
    {
        Assert.Equal(0.5, DriftStatistics.KolmogorovSmirnov([1, 2, 3, 4], [3, 4, 5, 6]));
        Assert.Equal(0.0, DriftStatistics.KolmogorovSmirnov([1, 2, 3], [1, 2, 3]));
        Assert.Equal(1.0, DriftStatistics.KolmogorovSmirnov([1, 2], [3, 4]));
    }

    [Fact]
    public void KolmogorovSmirnov_Ties_ComparesCdfsAfterEveryCopy()
    {
        // F_a(1) = 2/3, F_b(1) = 1/3; at 2 both reach 1.
        Assert.Equal(1.0 / 3, DriftStatistics.KolmogorovSmirnov([1, 1, 2], [1, 2, 2]), 1e-15);
    }

    [Theory]
    [InlineData(3.84, 1, 0.05004352124870509)] // the textbook 5% value of one degree of freedom
    [InlineData(3.841458820694124, 1, 0.05)]
    [InlineData(6.6348966010212145, 1, 0.01)]
    [InlineData(5.991464547107979, 2, 0.05)]
    [InlineData(7.814727903251178, 3, 0.05)]
    [InlineData(16.918977604620448, 9, 0.05)]
    [InlineData(23.209251158954356, 10, 0.01)]
    [InlineData(124.34211340400407, 100, 0.05)]
    [InlineData(0.0, 4, 1.0)]
    public void ChiSquareSurvival_TabulatedQuantiles_ReturnTheirLevels(double x, int degreesOfFreedom, double expected)
    {
        Assert.Equal(expected, DriftStatistics.ChiSquareSurvival(x, degreesOfFreedom), 1e-10);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(30.0)]
    public void RegularizedUpperGamma_ShapeOne_IsExponential(double x)
    {
        Assert.Equal(Math.Exp(-x), DriftStatistics.RegularizedUpperGamma(1, x), 1e-14);
    }

    [Fact]
    public void LogGamma_KnownValues_Match()
    {
        Assert.Equal(Math.Log(24), DriftStatistics.LogGamma(5), 1e-13);
        Assert.Equal(0.5 * Math.Log(Math.PI), DriftStatistics.LogGamma(0.5), 1e-13);
        Assert.Equal(Math.Log(362880), DriftStatistics.LogGamma(10), 1e-12);
    }

    [Fact]
    public void ChiSquareHomogeneity_TwoByTwo_MatchesHandComputation()
    {
        // Expected counts 40/60 in both rows: χ² = 2.5 + 1.667 + 2.5 + 1.667 = 8.333 on one degree of freedom.
        var (statistic, df, p) = DriftStatistics.ChiSquareHomogeneity([50, 50], [30, 70]);

        Assert.Equal(25.0 / 3, statistic, 1e-12);
        Assert.Equal(1, df);
        Assert.Equal(0.003892417122778627, p, 1e-12);
    }

    [Fact]
    public void ChiSquareHomogeneity_BinEmptyInBoth_IsDropped()
    {
        var (_, df, p) = DriftStatistics.ChiSquareHomogeneity([10, 0, 10], [10, 0, 10]);

        Assert.Equal(1, df);
        Assert.Equal(1.0, p, 1e-12);
    }

    [Fact]
    public void Psi_KnownFractions_Match()
    {
        // (0.25 − 0.5)·ln(0.5) + (0.75 − 0.5)·ln(1.5) = 0.17329 + 0.10137.
        Assert.Equal(0.2746530721670274, DriftStatistics.Psi([0.5, 0.5], [0.25, 0.75]), 1e-12);
        Assert.Equal(0.0, DriftStatistics.Psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]));
    }

    [Fact]
    public void Psi_EmptyReferenceBin_UsesEpsilon()
    {
        var expected = ((0.4 - 0.5) * Math.Log(0.4 / 0.5)) + ((0.1 - 1e-4) * Math.Log(0.1 / 1e-4));

        Assert.Equal(expected, DriftStatistics.Psi([0.5, 0.5, 0], [0.5, 0.4, 0.1]), 1e-12);
    }

    [Fact]
    public void Tests_NoDrift_RejectAtAboutTheirLevel()
    {
        // Calibration: under no drift a 5% test should reject about 5% of the time, not far less (too timid to catch
        // drift) nor more (false alarms). 2,000 pairs of samples of 500 and 1,000.
        var random = new Random(11);
        int ks = 0, chi2 = 0;
        const int pairs = 2000;
        for (var t = 0; t < pairs; t++)
        {
            var a = Enumerable.Range(0, 1000).Select(_ => DriftTestData.Normal(random)).Order().ToArray();
            var b = Enumerable.Range(0, 500).Select(_ => DriftTestData.Normal(random)).Order().ToArray();
            ks += DriftStatistics.KolmogorovSmirnovPValue(DriftStatistics.KolmogorovSmirnov(a, b), a.Length, b.Length) < 0.05 ? 1 : 0;
            var ca = new long[4];
            var cb = new long[4];
            foreach (var v in a)
            {
                ca[Math.Clamp((int)Math.Floor(v + 2), 0, 3)]++;
            }

            foreach (var v in b)
            {
                cb[Math.Clamp((int)Math.Floor(v + 2), 0, 3)]++;
            }

            chi2 += DriftStatistics.ChiSquareHomogeneity(ca, cb).PValue < 0.05 ? 1 : 0;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"no drift, 5% tests: KS rejected {ks}/{pairs}, chi-square {chi2}/{pairs}");
        Assert.InRange(ks, 60, 140);
        Assert.InRange(chi2, 60, 140);
    }
}
