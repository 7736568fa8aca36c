namespace Inferd.Cli.Commands;

/// <summary>One feature of an <see cref="ExplainReport"/>.</summary>
/// <param name="Name">Feature name.</param>
/// <param name="Value">Its value in the explained row, as shown to people.</param>
/// <param name="Attribution">Its attribution.</param>
internal sealed record ExplainFeature(string Name, string Value, double Attribution)
{
    /// <summary>Standard error of a sampled attribution.</summary>
    public double? Error { get; init; }

    /// <summary>LIME's local weight.</summary>
    public double? Weight { get; init; }
}
