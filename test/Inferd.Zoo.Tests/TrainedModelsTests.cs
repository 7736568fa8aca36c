using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Testing;
using Inferd.Zoo.Training;

namespace Inferd.Zoo.Tests;

/// <summary>The four trained models, built once (<see cref="TrainedZooFixture"/>): cards, configs and held-out rows.</summary>
public sealed class TrainedModelsTests(TrainedZooFixture zoo)
{
    [Theory]
    [InlineData("spam", "accuracy", 0.9, 1.0)]
    [InlineData("spam", "auc", 0.95, 1.0)]
    [InlineData("house-prices", "r2", 0.6, 1.0)]
    [InlineData("house-prices", "rmse", 0.5, 6.0)]
    [InlineData("wages", "r2", 0.1, 0.8)]
    [InlineData("wages", "mae", 1.0, 5.0)]
    [InlineData("sensor-anomaly", "auc", 0.9, 1.0)]
    [InlineData("sensor-anomaly", "accuracy", 0.98, 1.0)]
    [InlineData("sensor-anomaly", "recall", 0.5, 1.0)]
    public void Card_TrainedModel_HasMetricInSaneRange(string model, string metric, double min, double max)
    {
        // Arrange
        zoo.SkipIfUnavailable();

        // Act
        var metrics = ModelFiles.ReadMetrics(Path.Combine(zoo.Repository, model, "card.md"));

        // Assert
        var value = Assert.Single(metrics, m => m.Name == metric).Value;
        Assert.InRange(value, min, max);
    }

    [Theory]
    [InlineData("spam")]
    [InlineData("house-prices")]
    [InlineData("wages")]
    [InlineData("sensor-anomaly")]
    public async Task Heldout_ThroughScoringSteps_EqualsExpected(string model)
    {
        // Arrange: the served pipeline up to the ONNX step (encoding + model), which this branch can run on its own.
        zoo.SkipIfUnavailable();
        var (config, pipeline) = ReadConfig(model);
        var output = Output(model);
        pipeline["steps"] = new JsonArray(pipeline["steps"]![0]!.DeepClone(), pipeline["steps"]![1]!.DeepClone());
        pipeline["outputs"] = new JsonArray(new JsonObject { ["name"] = output, ["from"] = pipeline["steps"]![1]!["outputs"]!.AsObject().Single().Value!.GetValue<string>() });
        var lines = ReadHeldout(model);

        // Act
        using var loaded = await PipelineRunner.LoadAsync(Path.Combine(zoo.Repository, model), config with { Pipeline = pipeline.ToJsonString() }, CancellationToken.None).DefaultTimeout();
        var served = await PipelineRunner.RunFloatsAsync(loaded, lines.Count, (start, count) => Inputs(config, lines.GetRange(start, count)), [output], 64, CancellationToken.None).DefaultTimeout();

        // Assert
        var expected = lines.Select(l => l["expected"]![output]!.GetValue<float>()).ToArray();
        PipelineRunner.Compare(model, expected, served[0]);
    }

    [Theory]
    [InlineData("spam")]
    [InlineData("house-prices")]
    [InlineData("wages")]
    [InlineData("sensor-anomaly")]
    public async Task Heldout_ThroughServedPipeline_EqualsEveryExpectedOutput(string model)
    {
        // Arrange
        zoo.SkipIfUnavailable();
        var (config, _) = ReadConfig(model);
        var unknown = PipelineRunner.UnknownKinds(config);
        if (unknown.Count > 0)
        {
            // The fields and threshold step kinds come from another branch; this test runs once they are merged.
            Assert.Skip($"step kinds {string.Join(", ", unknown)} are not in this build");
        }

        var lines = ReadHeldout(model);
        var outputs = lines[0]["expected"]!.AsObject().Select(p => p.Key).ToArray();

        // Act
        using var loaded = await PipelineRunner.LoadAsync(Path.Combine(zoo.Repository, model), config, CancellationToken.None).DefaultTimeout();
        var results = new List<IReadOnlyList<InferenceTensor>>();
        for (var start = 0; start < lines.Count; start += 64)
        {
            var batch = lines.GetRange(start, Math.Min(64, lines.Count - start));
            results.Add(await loaded.RunAsync(0, Inputs(config, batch), outputs, new RunTimings(), CancellationToken.None).AsTask().DefaultTimeout());
        }

        // Assert
        for (var o = 0; o < outputs.Length; o++)
        {
            var values = results.SelectMany(r => PipelineRunner.Values(r[o])).ToArray();
            for (var i = 0; i < lines.Count; i++)
            {
                var expected = lines[i]["expected"]![outputs[o]]!;
                if (expected.GetValueKind() == JsonValueKind.String)
                {
                    Assert.Equal(expected.GetValue<string>(), values[i]);
                }
                else
                {
                    Assert.True(Math.Abs(expected.GetValue<double>() - (float)values[i]) <= PipelineRunner.Tolerance(expected.GetValue<double>()), $"{model} row {i} {outputs[o]}");
                }
            }
        }
    }

    [Theory]
    [InlineData("house-prices", "r2")]
    [InlineData("house-prices", "rmse")]
    [InlineData("wages", "r2")]
    [InlineData("wages", "mae")]
    public void Heldout_RegressionRows_RecomputeTheCardMetric(string model, string metric)
    {
        // Arrange: heldout.jsonl holds every held-out row.
        zoo.SkipIfUnavailable();
        var lines = ReadHeldout(model);
        var truth = lines.Select(l => l["label"]!.GetValue<double>()).ToArray();
        var predicted = lines.Select(l => (double)l["expected"]![Output(model)]!.GetValue<float>()).ToArray();

        // Act
        var value = metric switch { "r2" => Metrics.R2(truth, predicted), "rmse" => Metrics.Rmse(truth, predicted), _ => Metrics.Mae(truth, predicted) };

        // Assert
        var card = ModelFiles.ReadMetrics(Path.Combine(zoo.Repository, model, "card.md"));
        Assert.Equal(Assert.Single(card, m => m.Name == metric).Value, Math.Round(value, 4), 4);
    }

    [Theory]
    [InlineData("spam", "spam", 0.9)]
    [InlineData("sensor-anomaly", "anomaly", 0.9)]
    public void Heldout_ClassifierRows_ExpectedLabelsMostlyTrue(string model, string positive, double minimum)
    {
        // Arrange: these files hold a capped subset (sensor: every held-out anomaly first), so the card's value is not
        // recomputed exactly; the subset's accuracy must still be high, and labels must agree with the probabilities.
        zoo.SkipIfUnavailable();
        var lines = ReadHeldout(model);
        var output = Output(model);

        // Act
        var accuracy = lines.Count(l => l["expected"]!["label"]!.GetValue<string>() == l["label"]!.GetValue<string>()) / (double)lines.Count;

        // Assert
        Assert.True(accuracy >= minimum, $"{model}: accuracy {accuracy} on heldout.jsonl");
        Assert.All(lines, l => Assert.Equal(l["expected"]![output]!.GetValue<float>() >= Metrics.Threshold, l["expected"]!["label"]!.GetValue<string>() == positive));
    }

    [Theory]
    [InlineData("spam")]
    [InlineData("house-prices")]
    [InlineData("wages")]
    [InlineData("sensor-anomaly")]
    public void Card_TrainedModel_HasFrontMatterTitleAndSections(string model)
    {
        // Arrange
        zoo.SkipIfUnavailable();

        // Act
        var card = File.ReadAllText(Path.Combine(zoo.Repository, model, "card.md"));

        // Assert
        Assert.StartsWith("---\nmetrics:\n  ", card, StringComparison.Ordinal);
        Assert.Contains($"---\n# {model}\n", card, StringComparison.Ordinal);
        foreach (var section in new[] { "Intended use", "Inputs and outputs", "Training data", "Training", "Held-out evaluation", "Limitations" })
        {
            Assert.Contains($"\n## {section}\n", card, StringComparison.Ordinal);
        }

        Assert.Contains($"/v1/models/{model}:predict", card, StringComparison.Ordinal);
    }

    private (ModelConfig Config, JsonObject Pipeline) ReadConfig(string model)
    {
        var json = File.ReadAllText(Path.Combine(zoo.Repository, model, "config.json"));
        var config = ModelConfigJson.Read(json, model).Config;
        Assert.Equal(64, config.MaxBatchSize);
        return (config, JsonNode.Parse(config.Pipeline!)!.AsObject());
    }

    private List<JsonObject> ReadHeldout(string model) =>
        File.ReadAllLines(Path.Combine(zoo.Repository, model, "heldout.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    private static string Output(string model) => model switch
    {
        "spam" => "spam_probability",
        "house-prices" => "price",
        "wages" => "wage",
        _ => "anomaly_probability",
    };

    /// <summary>The request tensors for heldout.jsonl rows, typed by the pipeline's declared inputs.</summary>
    private static InferenceTensor[] Inputs(ModelConfig config, List<JsonObject> rows) =>
        PipelineRunner.Inputs(config).Select(input => input.Type switch
        {
            DataType.Fp32 => PipelineRunner.Floats(input.Name, rows.Select(r => (float)r[input.Name]!.GetValue<double>())),
            DataType.Bool => new InferenceTensor(input.Name, DataType.Bool, [rows.Count], rows.Select(r => r[input.Name]!.GetValue<bool>() ? (byte)1 : (byte)0).ToArray()),
            DataType.Bytes => PipelineRunner.Strings(input.Name, rows.Select(r => r[input.Name]!.GetValue<string>()).ToArray()),
            _ => throw new InvalidOperationException($"input {input.Name}: {input.Type.ToString().ToLower(CultureInfo.InvariantCulture)} is not used by the zoo"),
        }).ToArray();
}
