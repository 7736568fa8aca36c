namespace Inferd.Explain.Lime;

/// <summary>Solves A x = b for a symmetric positive definite A by Cholesky factorisation (A = L Lᵀ).</summary>
internal static class Cholesky
{
    /// <summary>Solves the system; reads only the lower triangle of <paramref name="a"/> and overwrites it with L.</summary>
    /// <exception cref="InvalidOperationException">A is not positive definite (cannot happen with a positive ridge).</exception>
    public static double[] Solve(double[,] a, double[] b)
    {
        var m = b.Length;
        for (var j = 0; j < m; j++)
        {
            var diagonal = a[j, j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= a[j, k] * a[j, k];
            }

            if (!(diagonal > 0))
            {
                throw new InvalidOperationException($"the normal equations are not positive definite at column {j}");
            }

            a[j, j] = Math.Sqrt(diagonal);
            for (var i = j + 1; i < m; i++)
            {
                var s = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    s -= a[i, k] * a[j, k];
                }

                a[i, j] = s / a[j, j];
            }
        }

        // Forward (L z = b), then backward (Lᵀ x = z).
        var x = (double[])b.Clone();
        for (var i = 0; i < m; i++)
        {
            for (var k = 0; k < i; k++)
            {
                x[i] -= a[i, k] * x[k];
            }

            x[i] /= a[i, i];
        }

        for (var i = m - 1; i >= 0; i--)
        {
            for (var k = i + 1; k < m; k++)
            {
                x[i] -= a[k, i] * x[k];
            }

            x[i] /= a[i, i];
        }

        return x;
    }
}
