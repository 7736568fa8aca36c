namespace Inferd.Explain.Lime;

/// <summary>
/// Weighted least squares with an intercept and a tiny ridge: minimises Σ wᵢ (yᵢ − b − xᵢ·β)² + Σ λⱼ βⱼ². The columns and
/// y are centred on their weighted means, so the intercept is not penalised and comes out as ȳ − x̄·β; the centred
/// normal equations (XᵀWX + Λ) β = XᵀWy are solved by Cholesky. Exact for a few hundred features (M³/3 flops:
/// 500 features take about 4·10⁷).
/// </summary>
internal static class WeightedRidge
{
    /// <summary>
    /// λⱼ relative to column j's weighted sum of squares (the diagonal of XᵀWX). LIME fits sklearn's Ridge(alpha=1), which shrinks the weights of a
    /// model that is exactly linear; 1e-9 leaves them exact to about 9 digits and still makes the system positive
    /// definite when a column is constant (a feature with zero spread, a word never removed), whose weight becomes 0.
    /// </summary>
    public const double RelativeRidge = 1e-9;

    /// <summary>Fits the model.</summary>
    /// <param name="x">Rows of interpretable features; every row has the same length M.</param>
    /// <param name="y">The model's output per row.</param>
    /// <param name="w">Sample weights (kernel values), non-negative with a positive sum.</param>
    public static LinearFit Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, IReadOnlyList<double> w)
    {
        var n = x.Count;
        if (n == 0 || y.Count != n || w.Count != n)
        {
            throw new ArgumentException($"x, y and w must have the same positive length ({n}, {y.Count}, {w.Count})");
        }

        var m = x[0].Length;
        var total = 0.0;
        var xMean = new double[m];
        var yMean = 0.0;
        for (var r = 0; r < n; r++)
        {
            total += w[r];
            yMean += w[r] * y[r];
            for (var j = 0; j < m; j++)
            {
                xMean[j] += w[r] * x[r][j];
            }
        }

        if (!(total > 0))
        {
            throw new ArgumentException("the sample weights must have a positive sum", nameof(w));
        }

        yMean /= total;
        for (var j = 0; j < m; j++)
        {
            xMean[j] /= total;
        }

        // Normal equations of the centred problem; only the lower triangle is filled and read.
        var a = new double[m, m];
        var b = new double[m];
        var centred = new double[m];
        for (var r = 0; r < n; r++)
        {
            for (var j = 0; j < m; j++)
            {
                centred[j] = x[r][j] - xMean[j];
            }

            var dy = y[r] - yMean;
            for (var j = 0; j < m; j++)
            {
                var wj = w[r] * centred[j];
                b[j] += wj * dy;
                for (var k = 0; k <= j; k++)
                {
                    a[j, k] += wj * centred[k];
                }
            }
        }

        var trace = 0.0;
        for (var j = 0; j < m; j++)
        {
            trace += a[j, j];
        }

        // Each column is shrunk in proportion to its own spread, so the result does not depend on the features' units;
        // the floor keeps a constant column (spread 0) definite, and 1e-200 the case where every column is constant.
        var floor = Math.Max(1e-12 * trace / Math.Max(1, m), 1e-200);
        for (var j = 0; j < m; j++)
        {
            a[j, j] += Math.Max(RelativeRidge * a[j, j], floor);
        }

        var beta = Cholesky.Solve(a, b);
        var intercept = yMean;
        for (var j = 0; j < m; j++)
        {
            intercept -= beta[j] * xMean[j];
        }

        return new LinearFit(intercept, beta, R2(x, y, w, yMean, intercept, beta));
    }

    // sklearn's convention when y does not vary: 1 when the fit is exact too, else 0.
    private static double R2(IReadOnlyList<double[]> x, IReadOnlyList<double> y, IReadOnlyList<double> w, double yMean, double intercept, double[] beta)
    {
        var residual = 0.0;
        var spread = 0.0;
        for (var r = 0; r < x.Count; r++)
        {
            var predicted = intercept;
            for (var j = 0; j < beta.Length; j++)
            {
                predicted += beta[j] * x[r][j];
            }

            residual += w[r] * (y[r] - predicted) * (y[r] - predicted);
            spread += w[r] * (y[r] - yMean) * (y[r] - yMean);
        }

        if (spread <= 1e-300)
        {
            return residual <= 1e-300 ? 1 : 0;
        }

        return 1 - (residual / spread);
    }
}
