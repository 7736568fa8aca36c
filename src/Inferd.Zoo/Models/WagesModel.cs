using Inferd.Processing.Steps.Tabular;
using Inferd.Zoo.Training;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace Inferd.Zoo.Models;

/// <summary><c>wages</c>: hourly wage regression on the 1985 CPS sample (FastTree); gender and race stay as inputs for fairness work.</summary>
internal sealed class WagesModel : IZooModel
{
    private static readonly TabularRecipe Recipe = new()
    {
        Name = "wages",
        Dataset = "berndt-cps-wages-1985",
        Target = "wage",
        Fields =
        [
            ("education", FeatureType.Number), ("south", FeatureType.Bool), ("gender", FeatureType.Category), ("experience", FeatureType.Number),
            ("union", FeatureType.Bool), ("age", FeatureType.Number), ("race", FeatureType.Category), ("occupation", FeatureType.Category),
            ("sector", FeatureType.Category), ("married", FeatureType.Bool),
        ],
        // Few rows: small trees, many rows per leaf, so the model does not memorise individuals.
        Trainer = ml => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = 100,
            NumberOfLeaves = 4,
            MinimumExampleCountPerLeaf = 20,
            LearningRate = 0.05,
            NumberOfThreads = 1,
        }),
        Output = "wage",
        Fairness = ("gender", "male"),
        TrainerText = "FastTree regression (100 trees, 4 leaves, at least 20 rows per leaf, learning rate 0.05, one thread)",
        IntendedUse = "A demo regression model for Inferd's fairness and explanation work: predicts the hourly wage (US dollars, 1985) from a worker's education, experience, job and demographics. `gender` and `race` are kept as inputs on purpose, so group metrics and counterfactual checks can show how much the model uses them.",
        DataText = "Berndt (1991), a 534-row sample of the May 1985 Current Population Survey. Data licence: ODC PDDL 1.0 / CC0 (the package README). Category values are read from the data: gender female/male, race hispanic/other/white, occupation clerical/management/other/professional/sales/service, sector construction/manufacturing/other.",
        Limitations = "A 1985 US sample of 534 rows: small, old and not representative of today's labour market; the held-out set is about 100 rows, so metrics are noisy. Wages are skewed (a few very high earners), which limits R². The model reproduces the 1985 pay gaps it was trained on. **Not for decisions about people** (hiring, pay, credit).",
    };

    /// <inheritdoc />
    public string Name => Recipe.Name;

    /// <inheritdoc />
    public IReadOnlyList<string> Outputs { get; } = TrainedOutputs.Files;

    /// <inheritdoc />
    public Task BuildAsync(ZooContext context, CancellationToken cancellationToken) => TabularTrainer.BuildAsync(Recipe, context, cancellationToken);
}
