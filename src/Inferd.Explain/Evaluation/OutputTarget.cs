namespace Inferd.Explain.Evaluation;

/// <summary>The one number an explanation explains: element <paramref name="Index"/> of output <paramref name="Output"/>'s row.</summary>
/// <param name="Output">Output tensor name.</param>
/// <param name="Index">Element within one row of that output (a class index for a probability vector).</param>
/// <param name="ElementsPerRow">Elements of the output per row.</param>
internal sealed record OutputTarget(string Output, int Index, int ElementsPerRow);
