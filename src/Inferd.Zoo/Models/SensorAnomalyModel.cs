using Inferd.Processing.Steps.Tabular;
using Inferd.Zoo.Training;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace Inferd.Zoo.Models;

/// <summary><c>sensor-anomaly</c>: labelled anomalies of single-hop wireless sensor readings (FastTree binary).</summary>
internal sealed class SensorAnomalyModel : IZooModel
{
    private static readonly TabularRecipe Recipe = new()
    {
        Name = "sensor-anomaly",
        Dataset = "suthaharan-single-hop-sensor-network",
        Target = "label",
        IdColumn = "reading",
        // mote_id is left out: anomalies occur on motes 1 and 4 only, and a mote id would not carry to new motes.
        Fields = [("humidity", FeatureType.Number), ("temperature", FeatureType.Number), ("indoor", FeatureType.Bool)],
        Binary = true,
        Trainer = ml => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = 100,
            NumberOfLeaves = 16,
            MinimumExampleCountPerLeaf = 10,
            NumberOfThreads = 1,
        }),
        Output = "anomaly_probability",
        Labels = ["normal", "anomaly"],
        TrainerText = "FastTree binary classification (100 trees, 16 leaves, at least 10 rows per leaf, one thread) with ML.NET's Platt calibration for the probability",
        IntendedUse = "A demo anomaly detector for Inferd's streaming, batch and drift examples: flags a humidity/temperature reading of a TelosB mote as anomalous.",
        DataText = "Suthaharan et al., labelled wireless sensor network data (single-hop deployment): 18,914 readings of 4 motes, 149 labelled anomalies. Data licence: ODC-BY 1.0 / CC-BY 4.0; attribution: Shan Suthaharan, Mohammed Alzahrani, Sutharshan Rajasegarar, Christopher Leckie and Marimuthu Palaniswami. `mote_id` and `reading` are not used as features.",
        Limitations = "Anomalies are rare (149 of 18,914, under 1 %), so accuracy is dominated by normal readings: read recall and AUC. The labelled anomalies come from two motes and one deployment in 2010; other hardware or climates will drift. The held-out set has about 30 anomalies, so recall moves in steps of about 3 points.",
    };

    /// <inheritdoc />
    public string Name => Recipe.Name;

    /// <inheritdoc />
    public IReadOnlyList<string> Outputs { get; } = TrainedOutputs.Files;

    /// <inheritdoc />
    public Task BuildAsync(ZooContext context, CancellationToken cancellationToken) => TabularTrainer.BuildAsync(Recipe, context, cancellationToken);
}
