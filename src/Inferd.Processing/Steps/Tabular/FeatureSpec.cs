namespace Inferd.Processing.Steps.Tabular;

/// <summary>One field of a tabular step as its <c>features</c> option declares it.</summary>
/// <param name="Name">Field (port) name; also the client's field name.</param>
/// <param name="Type">How the field is encoded.</param>
internal sealed record FeatureSpec(string Name, FeatureType Type)
{
    /// <summary>Numbers: the training mean (standardisation centre and the <see cref="MissingPolicy.Mean"/> value).</summary>
    public double? Mean { get; init; }

    /// <summary>Numbers: the training standard deviation; with <see cref="Mean"/>, the output is (x - mean) / std.</summary>
    public double? Std { get; init; }

    /// <summary>Categories, in one-hot column order.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>What a missing value becomes.</summary>
    public MissingPolicy Missing { get; init; } = MissingPolicy.Error;

    /// <summary>The value used for <see cref="MissingPolicy.Constant"/>.</summary>
    public double MissingValue { get; init; }

    /// <summary>Categories: the category used for <see cref="MissingPolicy.MostFrequent"/>.</summary>
    public string? Default { get; init; }

    /// <summary>Categories: an unknown value encodes as all zeros instead of failing the request.</summary>
    public bool IgnoreUnknown { get; init; }

    /// <summary>Number of feature columns this field produces.</summary>
    public int Width => Type == FeatureType.Category ? Categories.Count : 1;
}
