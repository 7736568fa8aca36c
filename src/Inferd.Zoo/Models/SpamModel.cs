using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inferd.Abstractions.Configuration;
using Inferd.Processing.Steps.Text;
using Inferd.Processing.Tensors;
using Inferd.Zoo.Training;
using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace Inferd.Zoo.Models;

/// <summary>
/// <c>spam</c>: "is this email spam" on the SpamAssassin corpus. The <c>text_hash</c> step's hashed bag of words
/// (the same <see cref="HashedTextFeaturizer"/> at training and serving) feeds an L-BFGS logistic regression.
/// </summary>
internal sealed class SpamModel : IZooModel
{
    private const string Dataset = "spam-assassin";
    private const int Dimensions = HashedTextFeaturizer.DefaultDimensions;
    private static readonly string[] Folders = ["easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"];

    /// <inheritdoc />
    public string Name => "spam";

    /// <inheritdoc />
    public IReadOnlyList<string> Outputs { get; } = TrainedOutputs.Files;

    /// <inheritdoc />
    public async Task BuildAsync(ZooContext context, CancellationToken cancellationToken)
    {
        var data = await StdlibDatasets.DataAsync(context, Dataset, cancellationToken).ConfigureAwait(false);
        var messages = Folders.SelectMany(folder => Read(data, folder)).ToArray();
        var train = messages.Where(m => !Holdout.IsHeldOut(Dataset, m.Id)).ToArray();
        var test = messages.Where(m => Holdout.IsHeldOut(Dataset, m.Id)).ToArray();
        var featurizer = new HashedTextFeaturizer(Dimensions, ngrams: 2);

        var ml = new MLContext(seed: 1);
        var stopwatch = Stopwatch.StartNew();
        var model = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options { L2Regularization = 1, L1Regularization = 0.1f, NumberOfThreads = 1 })
            .Fit(MlNet.Binary(ml, Featurize(featurizer, train.Select(m => m.Text)), train.Select(m => m.Spam).ToArray()));
        var trainSeconds = stopwatch.Elapsed.TotalSeconds;
        float[] Predict(IReadOnlyList<string> texts) => MlNet.Column(model.Transform(MlNet.Features(ml, Featurize(featurizer, texts), Dimensions)), "Probability");
        var testTexts = test.Select(m => m.Text).ToArray();
        var expected = Predict(testTexts);

        var directory = context.ModelDirectory(Name);
        MlNet.ExportOnnx(ml, model, Dimensions, Path.Combine(directory, "1", "model.onnx"));
        var pipeline = Pipeline();
        ModelFiles.WriteConfig(directory, Name, pipeline, Monitoring());

        // The exported ONNX behind the real text_hash step, as served.
        var check = (JsonObject)pipeline.DeepClone();
        check["steps"] = new JsonArray(check["steps"]![0]!.DeepClone(), check["steps"]![1]!.DeepClone());
        check["outputs"] = new JsonArray("probability");
        double maxDiff;
        using (var loaded = await PipelineRunner.LoadAsync(directory, new ModelConfig { Name = Name, MaxBatchSize = 64, Pipeline = check.ToJsonString() }, cancellationToken).ConfigureAwait(false))
        {
            var served = await PipelineRunner.RunFloatsAsync(loaded, testTexts.Length, (start, count) => [TensorData.Strings("text", [count], testTexts[start..(start + count)])], ["probability"], 64, cancellationToken).ConfigureAwait(false);
            maxDiff = PipelineRunner.Compare(Name, expected, served[0]);
        }

        var truth = test.Select(m => m.Spam).ToArray();
        var probability = expected.Select(p => (double)p).ToArray();
        List<(string, double)> metrics = [("accuracy", Metrics.Accuracy(truth, probability)), ("auc", Metrics.Auc(truth, probability))];
        var hard = Enumerable.Range(0, test.Length).Where(i => test[i].Folder == "hard-ham-1").ToArray();
        var hardAccuracy = Metrics.Accuracy(hard.Select(i => truth[i]).ToArray(), hard.Select(i => probability[i]).ToArray());

        // heldout.jsonl: every held-out message, whole, with ML.NET's prediction and the truth, so a test can send
        // them to the server and recompute the card's metrics exactly (about 5 MB; generated, never committed).
        var lines = Enumerable.Range(0, test.Length).Select(i => new JsonObject
        {
            ["text"] = test[i].Text,
            ["expected"] = new JsonObject { ["label"] = expected[i] >= Metrics.Threshold ? "spam" : "ham", ["spam_probability"] = expected[i] },
            ["label"] = test[i].Spam ? "spam" : "ham",
        }).ToList();
        ModelFiles.WriteHeldout(directory, lines);
        ModelFiles.WriteCard(directory, Name, metrics, Card(messages, train.Length, test, hard.Length, hardAccuracy, maxDiff, trainSeconds, lines.Count));
    }

    private static JsonObject Pipeline() => new()
    {
        ["inputs"] = new JsonArray(new JsonObject { ["name"] = "text", ["data_type"] = "TYPE_STRING", ["dims"] = new JsonArray() }),
        ["steps"] = new JsonArray
        {
            new JsonObject { ["name"] = "hash", ["kind"] = "text_hash", ["options"] = new JsonObject { ["dimensions"] = Dimensions, ["ngrams"] = 2 } },
            new JsonObject { ["name"] = "model", ["kind"] = "onnx", ["inputs"] = new JsonObject { ["Features"] = "features" }, ["outputs"] = new JsonObject { ["Probability.output"] = "probability" } },
            new JsonObject { ["name"] = "fields", ["kind"] = "fields", ["inputs"] = new JsonObject { ["x"] = "probability" }, ["options"] = new JsonObject { ["names"] = new JsonArray("spam_probability") } },
            new JsonObject
            {
                ["name"] = "decision",
                ["kind"] = "threshold",
                ["inputs"] = new JsonObject { ["score"] = "spam_probability" },
                ["outputs"] = new JsonObject { ["decision"] = "label" },
                ["options"] = new JsonObject { ["threshold"] = Metrics.Threshold, ["labels"] = new JsonArray("ham", "spam") },
            },
        },
        ["outputs"] = new JsonArray("label", "spam_probability"),
    };

    // Live accuracy: the probability output against "spam"/"ham" feedback, positive as the threshold step decides.
    private static JsonObject Monitoring() => new()
    {
        ["task"] = new JsonObject { ["type"] = "binary", ["output"] = "spam_probability", ["threshold"] = Metrics.Threshold, ["positive_label"] = "spam" },
    };

    private static IEnumerable<Message> Read(string data, string folder)
    {
        var directory = Path.Combine(data, folder);
        if (!Directory.Exists(directory))
        {
            throw new ZooException($"{StdlibDatasets.Package}@{StdlibDatasets.Version}: {Dataset}/data/{folder} is missing");
        }

        // Sorted so the training order, and with it the model, is the same on every file system.
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var text = document.RootElement.GetProperty("text").GetString() ?? "";
            yield return new Message($"{folder}/{Path.GetFileNameWithoutExtension(file)}", folder, text, folder.StartsWith("spam", StringComparison.Ordinal));
        }
    }

    private static float[][] Featurize(HashedTextFeaturizer featurizer, IEnumerable<string> texts) =>
        texts.Select(t =>
        {
            var features = new float[featurizer.Dimensions];
            featurizer.Featurize(t, features);
            return features;
        }).ToArray();

    private static string Card(Message[] messages, int trainRows, Message[] test, int hardRows, double hardAccuracy, double maxDiff, double trainSeconds, int fileRows) => $"""
        ## Intended use

        A demo "is this email spam" classifier for Inferd's text pipeline, batch scoring and drift examples. Input is a whole message, headers included, as in the corpus. Not a production spam filter.

        ## Inputs and outputs

        Input: `text` (string), the raw message. Outputs: `spam_probability` (number) and `label` (`spam` when `spam_probability` >= {Metrics.Threshold}, else `ham`).

        {ModelFiles.Curl("spam", new JsonObject { ["text"] = "Subject: WIN a FREE prize!!! Click http://cheap.example.com now, only $9.99" })}

        ## Training data

        npm `{StdlibDatasets.Package}` {StdlibDatasets.Version}, folder `{Dataset}`: the SpamAssassin public corpus, {messages.Length} messages ({messages.Count(m => m.Spam)} spam, {messages.Count(m => !m.Spam)} ham) from `easy-ham-1`, `easy-ham-2`, `hard-ham-1`, `spam-1` and `spam-2`. Data licence: ODC PDDL 1.0 / CC0 (the package README).
        Split: a message is held out when FNV-1a 32 of `"{Dataset}:<folder>/<file name>"` is 0 modulo 5, so every folder, `hard-ham-1` included, is in both splits; {trainRows} training and {test.Length} held-out messages.

        ## Training

        Features: the `text_hash` step ({Dimensions} buckets, unigrams and bigrams, log counts, L2-normalised; FNV-1a 32 over UTF-8), computed by the same `HashedTextFeaturizer` as at serving time. Trainer: ML.NET (`MLContext(seed: 1)`) L-BFGS logistic regression (L2 1, L1 0.1, one thread), trained in {trainSeconds:F1} s, exported to ONNX with a features-only schema.

        ## Held-out evaluation

        `accuracy` (at probability >= {Metrics.Threshold}) and `auc` on the {test.Length} held-out messages. The {hardRows} held-out `hard-ham-1` messages (ham that looks like spam) are reported separately: accuracy {ModelFiles.Format(hardAccuracy)}. The exported pipeline reproduced ML.NET's probabilities with a max abs difference of {maxDiff:G3} (the build fails above 1e-5). `heldout.jsonl` holds all {fileRows} held-out messages with ML.NET's prediction (`expected`) and the truth (`label`).

        ## Limitations

        The corpus is from 2002–2003 and English; today's spam, HTML-heavy mail and other languages will drift. The model sees headers, so it partly learns the corpus' mail servers and lists rather than content. Hashing collides distinct words into one bucket, and a logistic model is easy to evade with unseen wording.
        """;

    private sealed record Message(string Id, string Folder, string Text, bool Spam);
}
