namespace Inferd.Explain.Trees;

/// <summary>A run of the tree ensemble's input columns that comes straight from one graph input.</summary>
/// <param name="GraphInput">The graph input's name.</param>
/// <param name="Width">Columns it supplies (its fixed last dimension), or null when the graph leaves it dynamic.</param>
/// <param name="RoundToFloat">A Cast to FLOAT lies on the way, so values reach the trees rounded to FP32.</param>
internal sealed record TreeInputPart(string GraphInput, int? Width, bool RoundToFloat);
