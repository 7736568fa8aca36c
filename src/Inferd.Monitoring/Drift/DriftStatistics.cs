namespace Inferd.Monitoring.Drift;

/// <summary>
/// The drift tests: population stability index, the two-sample Kolmogorov–Smirnov test with its asymptotic p-value,
/// and the chi-square test with its p-value from the regularized upper incomplete gamma function. Pure functions,
/// checked against tabulated values in the tests.
/// </summary>
internal static class DriftStatistics
{
    /// <summary>The share an empty bin is given in PSI, so the logarithm stays finite.</summary>
    public const double PsiEpsilon = 1e-4;

    private const double Tiny = 1e-300;

    /// <summary>Population stability index: Σ (live − reference)·ln(live / reference) over the bins.</summary>
    public static double Psi(ReadOnlySpan<double> reference, ReadOnlySpan<double> live)
    {
        if (reference.Length != live.Length)
        {
            throw new ArgumentException("the two distributions must have the same bins", nameof(live));
        }

        var psi = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            var e = Math.Max(reference[i], PsiEpsilon);
            var a = Math.Max(live[i], PsiEpsilon);
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }

    /// <summary>The two-sample Kolmogorov–Smirnov statistic D = sup |F_a − F_b| of two samples sorted ascending.</summary>
    public static double KolmogorovSmirnov(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        int i = 0, j = 0;
        var d = 0.0;
        while (i < a.Length && j < b.Length)
        {
            // Step past every copy of the next value in both samples, so ties never count as a gap.
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x)
            {
                i++;
            }

            while (j < b.Length && b[j] <= x)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs(((double)i / a.Length) - ((double)j / b.Length)));
        }

        return d;
    }

    /// <summary>
    /// Asymptotic p-value of a two-sample KS statistic: Q_KS(λ) with effective n = n·m/(n+m) and
    /// λ = (√n + 0.12 + 0.11/√n)·D (Stephens' small-sample correction, as in Numerical Recipes' <c>kstwo</c>).
    /// </summary>
    public static double KolmogorovSmirnovPValue(double d, long n, long m)
    {
        if (n <= 0 || m <= 0)
        {
            return double.NaN;
        }

        var effective = Math.Sqrt((double)n * m / (n + m));
        return KolmogorovSurvival((effective + 0.12 + (0.11 / effective)) * d);
    }

    /// <summary>
    /// The Kolmogorov distribution's survival function Q(λ) = 2 Σ_{k≥1} (−1)^(k−1) e^(−2k²λ²). Below λ = 1.18, where that
    /// series converges slowly, it is 1 − (√(2π)/λ) Σ_{k≥1} e^(−(2k−1)²π²/(8λ²)) instead; both reach 1e-16 in a few terms.
    /// </summary>
    public static double KolmogorovSurvival(double lambda)
    {
        if (double.IsNaN(lambda))
        {
            return double.NaN;
        }

        if (lambda <= 0)
        {
            return 1;
        }

        double sum = 0;
        if (lambda < 1.18)
        {
            var factor = -Math.PI * Math.PI / (8 * lambda * lambda);
            for (var k = 1; k < 100; k++)
            {
                var odd = (2 * k) - 1;
                var term = Math.Exp(factor * odd * odd);
                sum += term;
                if (term < 1e-17 * sum)
                {
                    break;
                }
            }

            return Math.Clamp(1 - (Math.Sqrt(2 * Math.PI) / lambda * sum), 0, 1);
        }

        var sign = 1.0;
        for (var k = 1; k < 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += sign * term;
            if (term < 1e-17)
            {
                break;
            }

            sign = -sign;
        }

        return Math.Clamp(2 * sum, 0, 1);
    }

    /// <summary>P(χ² ≥ <paramref name="x"/>) with <paramref name="degreesOfFreedom"/> degrees of freedom: Q(df/2, x/2).</summary>
    public static double ChiSquareSurvival(double x, double degreesOfFreedom)
    {
        if (double.IsNaN(x) || degreesOfFreedom <= 0)
        {
            return double.NaN;
        }

        return x <= 0 ? 1 : RegularizedUpperGamma(degreesOfFreedom / 2, x / 2);
    }

    /// <summary>
    /// Q(a, x) = Γ(a, x)/Γ(a): the series for P(a, x) below x = a + 1, else Lentz's continued fraction for Q
    /// (Numerical Recipes §6.2), each to about 1e-15.
    /// </summary>
    public static double RegularizedUpperGamma(double a, double x)
    {
        if (a <= 0 || x < 0 || double.IsNaN(a) || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x == 0)
        {
            return 1;
        }

        if (double.IsPositiveInfinity(x))
        {
            return 0;
        }

        var logPrefix = (a * Math.Log(x)) - x - LogGamma(a);
        if (x < a + 1)
        {
            var term = 1 / a;
            var sum = term;
            for (var n = 1; n < 10_000; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * 1e-16)
                {
                    break;
                }
            }

            return Math.Clamp(1 - (sum * Math.Exp(logPrefix)), 0, 1);
        }

        var b = x + 1 - a;
        var c = 1 / Tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 10_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = b + (an / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Clamp(Math.Exp(logPrefix) * h, 0, 1);
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, nine coefficients; relative error about 1e-15).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        ReadOnlySpan<double> g =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        var sum = g[0];
        for (var i = 1; i < g.Length; i++)
        {
            sum += g[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    /// <summary>
    /// Pearson's chi-square test of homogeneity on a 2×k table: are the reference and live counts drawn from the same
    /// distribution? Bins empty in both samples are dropped. Unlike a goodness-of-fit test against the reference
    /// frequencies, it counts the reference's own sampling error: with 5,000 live rows against 10,000 reference rows a
    /// goodness-of-fit statistic runs about 1.5 times too large under no drift (1 + m/n), flagging too often.
    /// </summary>
    /// <returns>The statistic, its degrees of freedom, and the p-value (1 when fewer than two bins are used; NaN when a sample is empty).</returns>
    public static (double Statistic, int DegreesOfFreedom, double PValue) ChiSquareHomogeneity(ReadOnlySpan<long> reference, ReadOnlySpan<long> live)
    {
        if (reference.Length != live.Length)
        {
            throw new ArgumentException("the two samples must have the same bins", nameof(live));
        }

        double n1 = 0, n2 = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            n1 += reference[i];
            n2 += live[i];
        }

        if (n1 == 0 || n2 == 0)
        {
            return (0, 0, double.NaN);
        }

        var total = n1 + n2;
        var statistic = 0.0;
        var used = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            double column = reference[i] + live[i];
            if (column == 0)
            {
                continue;
            }

            used++;
            var expected1 = n1 * column / total;
            var expected2 = n2 * column / total;
            statistic += ((reference[i] - expected1) * (reference[i] - expected1) / expected1) + ((live[i] - expected2) * (live[i] - expected2) / expected2);
        }

        return used < 2 ? (0, 0, 1) : (statistic, used - 1, ChiSquareSurvival(statistic, used - 1));
    }
}
