using System.Numerics;

namespace Inferd.Explain.Shap;

/// <summary>Shapley values from the value of every coalition: φ_i = Σ_{S ∌ i} |S|!(M−|S|−1)!/M! · (v(S∪i) − v(S)).</summary>
internal static class ExactShapley
{
    /// <summary>Shapley values of <paramref name="features"/> players.</summary>
    /// <param name="values">v of every coalition, indexed by its bit mask (bit i set: feature i from the explained row); 2^M entries.</param>
    /// <param name="features">M.</param>
    public static double[] Attribute(double[] values, int features)
    {
        var m = features;
        var full = (1 << m) - 1;
        if (values.Length != full + 1)
        {
            throw new ArgumentException($"{m} features need {full + 1} coalition values; got {values.Length}", nameof(values));
        }

        // |S|!(M−|S|−1)!/M! = 1 / (M · C(M−1, |S|)); C(19, s) ≤ 92,378 is exact in a double.
        var weights = new double[m];
        var binomial = 1.0;
        for (var s = 0; s < m; s++)
        {
            weights[s] = 1.0 / (m * binomial);
            binomial = binomial * (m - 1 - s) / (s + 1);
        }

        var phi = new double[m];
        for (var mask = 0; mask < full; mask++)
        {
            var w = weights[BitOperations.PopCount((uint)mask)];
            var v = values[mask];
            for (var i = 0; i < m; i++)
            {
                var bit = 1 << i;
                if ((mask & bit) == 0)
                {
                    phi[i] += w * (values[mask | bit] - v);
                }
            }
        }

        return phi;
    }
}
