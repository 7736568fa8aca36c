namespace Inferd.Explain.Shap;

/// <summary>
/// The Kernel SHAP regression over sampled coalitions: minimise Σ_k w_k (y_k − z_k·φ)², y_k = v(S_k) − v(∅), z_k the
/// coalition's 0/1 membership, w_k how often S_k was drawn, subject to Σφ = v(N) − v(∅) exactly (efficiency). Solved
/// through the bordered normal equations [ZᵀWZ 1; 1ᵀ 0][φ; λ] = [ZᵀWy; Δ] (a Lagrange multiplier), so the attributions
/// add up to the prediction whatever the sample. The standard errors come from a bootstrap over the drawn pairs.
/// </summary>
internal sealed class ConstrainedRegression
{
    // A pivot below this fraction of the largest diagonal entry means the coalitions drawn do not tell some features
    // apart (e.g. two features always in or out together); doubles carry ~1e-16, so 1e-10 leaves room for rounding.
    private const double SingularTolerance = 1e-10;

    private readonly int _m;
    private readonly int[][] _members;
    private readonly double[] _y;
    private readonly double _delta;
    private readonly IReadOnlyList<(int S, int Complement)> _pairs;

    /// <param name="sample">The drawn coalitions.</param>
    /// <param name="y">Per distinct coalition, v(S) − v(∅).</param>
    /// <param name="delta">v(N) − v(∅): what the attributions must add up to.</param>
    public ConstrainedRegression(CoalitionSample sample, double[] y, double delta)
    {
        _m = sample.Features;
        _members = sample.Distinct.Select(mask => Enumerable.Range(0, _m).Where(i => CoalitionSample.Contains(mask, i)).ToArray()).ToArray();
        _y = y;
        _delta = delta;
        _pairs = sample.Pairs;
    }

    /// <summary>The estimate from every drawn pair; null when the sample does not determine every feature.</summary>
    public double[]? Solve() => Solve(Counts(Enumerable.Range(0, _pairs.Count)));

    /// <summary>
    /// Standard error of each attribution: the standard deviation of the estimate over <paramref name="resamples"/>
    /// resamples of the drawn pairs with replacement (the model is not called again; only the regression reruns).
    /// Resamples that do not determine every feature are skipped; null when fewer than half are left.
    /// </summary>
    public double[]? BootstrapErrors(int resamples, Random random, CancellationToken cancellationToken)
    {
        var estimates = new List<double[]>(resamples);
        var picks = new int[_pairs.Count];
        for (var r = 0; r < resamples; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var p = 0; p < picks.Length; p++)
            {
                picks[p] = random.Next(_pairs.Count);
            }

            if (Solve(Counts(picks)) is { } phi)
            {
                estimates.Add(phi);
            }
        }

        if (estimates.Count < Math.Max(2, resamples / 2))
        {
            return null;
        }

        var errors = new double[_m];
        for (var i = 0; i < _m; i++)
        {
            var mean = estimates.Average(e => e[i]);
            var squares = estimates.Sum(e => (e[i] - mean) * (e[i] - mean));
            errors[i] = Math.Sqrt(squares / (estimates.Count - 1));
        }

        return errors;
    }

    private double[] Counts(IEnumerable<int> pairs)
    {
        var counts = new double[_y.Length];
        foreach (var p in pairs)
        {
            counts[_pairs[p].S]++;
            counts[_pairs[p].Complement]++;
        }

        return counts;
    }

    private double[]? Solve(double[] counts)
    {
        var n = _m + 1;
        var a = new double[n * n];
        var rhs = new double[n];
        for (var k = 0; k < counts.Length; k++)
        {
            var w = counts[k];
            if (w == 0)
            {
                continue;
            }

            // z is 0/1, so ZᵀWZ only gains w where both features are members: |S|² additions, not M².
            var members = _members[k];
            foreach (var i in members)
            {
                rhs[i] += w * _y[k];
                var row = i * n;
                foreach (var j in members)
                {
                    a[row + j] += w;
                }
            }
        }

        var scale = 0.0;
        for (var i = 0; i < _m; i++)
        {
            scale = Math.Max(scale, a[(i * n) + i]);
            a[(i * n) + _m] = 1;
            a[(_m * n) + i] = 1;
        }

        rhs[_m] = _delta;
        var solution = SolveInPlace(a, rhs, n, SingularTolerance * Math.Max(scale, 1));
        return solution?[.._m];
    }

    // Gaussian elimination with partial pivoting (the bordered matrix is symmetric but indefinite, so no Cholesky).
    private static double[]? SolveInPlace(double[] a, double[] b, int n, double tolerance)
    {
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[(r * n) + col]) > Math.Abs(a[(pivot * n) + col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(a[(pivot * n) + col]) < tolerance)
            {
                return null;
            }

            if (pivot != col)
            {
                for (var c = 0; c < n; c++)
                {
                    (a[(col * n) + c], a[(pivot * n) + c]) = (a[(pivot * n) + c], a[(col * n) + c]);
                }

                (b[col], b[pivot]) = (b[pivot], b[col]);
            }

            var diagonal = a[(col * n) + col];
            for (var r = col + 1; r < n; r++)
            {
                var factor = a[(r * n) + col] / diagonal;
                if (factor == 0)
                {
                    continue;
                }

                for (var c = col; c < n; c++)
                {
                    a[(r * n) + c] -= factor * a[(col * n) + c];
                }

                b[r] -= factor * b[col];
            }
        }

        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var sum = b[r];
            for (var c = r + 1; c < n; c++)
            {
                sum -= a[(r * n) + c] * x[c];
            }

            x[r] = sum / a[(r * n) + r];
        }

        return x;
    }
}
