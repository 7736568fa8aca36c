using Inferd.Processing.Steps.Tabular;
using Inferd.Zoo.Training;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace Inferd.Zoo.Models;

/// <summary><c>house-prices</c>: Boston housing (1978) median value regression, FastTree behind the <c>tabular</c> step.</summary>
internal sealed class HousePricesModel : IZooModel
{
    private static readonly TabularRecipe Recipe = new()
    {
        Name = "house-prices",
        Dataset = "harrison-boston-house-prices",
        Target = "medv",
        // Column b is left out on purpose: it is 1000(Bk - 0.63)^2, Bk being the proportion of Black residents.
        Fields =
        [
            ("crim", FeatureType.Number), ("zn", FeatureType.Number), ("indus", FeatureType.Number), ("chas", FeatureType.Bool),
            ("nox", FeatureType.Number), ("rm", FeatureType.Number), ("age", FeatureType.Number), ("dis", FeatureType.Number),
            ("rad", FeatureType.Number), ("tax", FeatureType.Number), ("ptratio", FeatureType.Number), ("lstat", FeatureType.Number),
        ],
        Trainer = ml => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = 100,
            NumberOfLeaves = 8,
            MinimumExampleCountPerLeaf = 5,
            LearningRate = 0.1,
            NumberOfThreads = 1,
        }),
        Output = "price",
        TrainerText = "FastTree regression (100 trees, 8 leaves, at least 5 rows per leaf, learning rate 0.1, one thread for reproducibility)",
        IntendedUse = "A demo regression model for Inferd: predicts the median value of owner-occupied homes (`medv`, in $1000s) of a 1970s Boston census tract. For demonstrating tabular pipelines, explanations and monitoring; not for valuing real property.",
        DataText = "Harrison & Rubinfeld (1978). Data licence: ODC PDDL 1.0 / CC0 (the package README). The column `b` encodes the proportion of Black residents of a tract (1000(Bk - 0.63)^2); using it as a price feature bakes a racial variable into the model, a known ethics issue of this data set. **This model drops `b`**, the better choice: a price model should not take a neighbourhood's racial makeup as an input (the effect of dropping it on accuracy was not measured). `medv` is the target.",
        Limitations = "506 tracts from one city in 1970; prices are censored at 50 (`medv` = 50.0 means 50 or more). Several features encode demographics (e.g. `lstat`, the share of lower-status population), so predictions reflect historic segregation patterns. The held-out set is about 100 rows, so metrics vary by several points between splits. Not for decisions about real property or people.",
    };

    /// <inheritdoc />
    public string Name => Recipe.Name;

    /// <inheritdoc />
    public IReadOnlyList<string> Outputs { get; } = TrainedOutputs.Files;

    /// <inheritdoc />
    public Task BuildAsync(ZooContext context, CancellationToken cancellationToken) => TabularTrainer.BuildAsync(Recipe, context, cancellationToken);
}
