namespace Inferd.Explain.Lime;

/// <summary>A fitted local linear model.</summary>
/// <param name="Intercept">b in y ≈ b + x·β.</param>
/// <param name="Coefficients">β, one per interpretable feature.</param>
/// <param name="R2">Weighted coefficient of determination on the samples it was fitted to.</param>
internal sealed record LinearFit(double Intercept, double[] Coefficients, double R2);
