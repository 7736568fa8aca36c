using Inferd.Explain.Lime;

namespace Inferd.Explain.Tests.Lime;

public sealed class WeightedRidgeTests
{
    [Fact]
    public void Fit_ExactlyLinearData_RecoversInterceptAndCoefficientsWithR2One()
    {
        // Arrange: y = 1.5 + 2·x0 − 3·x1 + 0.25·x2 on 200 random rows with uneven weights.
        var random = new Random(7);
        var x = Enumerable.Range(0, 200).Select(_ => new[] { random.NextDouble() * 10, random.NextDouble() - 0.5, random.NextDouble() * 100 }).ToArray();
        var y = x.Select(r => 1.5 + (2 * r[0]) - (3 * r[1]) + (0.25 * r[2])).ToArray();
        var w = x.Select(_ => 0.01 + random.NextDouble()).ToArray();

        // Act
        var fit = WeightedRidge.Fit(x, y, w);

        // Assert
        Assert.Equal(1.5, fit.Intercept, 1e-6);
        Assert.Equal([2, -3, 0.25], fit.Coefficients, (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(1, fit.R2, 1e-9);
    }

    [Fact]
    public void Fit_ConstantColumn_GetsZeroWeight()
    {
        // Arrange: column 1 never changes, so only the ridge decides its weight.
        var x = Enumerable.Range(0, 20).Select(i => new[] { (double)i, 4.0 }).ToArray();
        var y = x.Select(r => 3 * r[0]).ToArray();
        var w = Enumerable.Repeat(1.0, 20).ToArray();

        // Act
        var fit = WeightedRidge.Fit(x, y, w);

        // Assert
        Assert.Equal(3, fit.Coefficients[0], 1e-6);
        Assert.Equal(0, fit.Coefficients[1], 1e-9);
        Assert.Equal(0, fit.Intercept, 1e-6);
    }

    [Fact]
    public void Fit_NoisyData_R2BelowOneAndWeighted()
    {
        // Arrange: y = x on most rows; one far-off row whose weight decides how bad the fit looks.
        var x = Enumerable.Range(0, 10).Select(i => new[] { (double)i }).ToArray();
        var y = x.Select(r => r[0]).ToArray();
        y[9] = 30;
        var light = Enumerable.Range(0, 10).Select(i => i == 9 ? 1e-6 : 1.0).ToArray();
        var heavy = Enumerable.Repeat(1.0, 10).ToArray();

        // Act
        var lightFit = WeightedRidge.Fit(x, y, light);
        var heavyFit = WeightedRidge.Fit(x, y, heavy);

        // Assert
        Assert.True(lightFit.R2 > 0.999, lightFit.R2.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(heavyFit.R2 < 0.8, heavyFit.R2.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
