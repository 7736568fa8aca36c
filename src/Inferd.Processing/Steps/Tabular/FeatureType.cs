namespace Inferd.Processing.Steps.Tabular;

/// <summary>How a tabular field becomes feature columns.</summary>
internal enum FeatureType
{
    /// <summary>One column: the value, standardised when a mean and a standard deviation are given.</summary>
    Number,

    /// <summary>One column per category, one-hot in the declared order.</summary>
    Category,

    /// <summary>One column: 1 for any non-zero value, else 0.</summary>
    Bool,
}

/// <summary>What a missing value (NaN number, empty category) becomes.</summary>
internal enum MissingPolicy
{
    /// <summary>A 400 naming the field and row.</summary>
    Error,

    /// <summary>Numbers: the feature's mean.</summary>
    Mean,

    /// <summary>Numbers and bools: a fixed number.</summary>
    Constant,

    /// <summary>Categories: the feature's <c>default</c> category (the training split's most frequent).</summary>
    MostFrequent,
}
