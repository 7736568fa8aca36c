using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Steps.Tabular;
using Inferd.Processing.Tensors;
using Microsoft.ML;

namespace Inferd.Zoo.Training;

/// <summary>
/// Builds a trained tabular model: read the CSV, split 80/20 by row id (<see cref="Holdout"/>), encode with the same
/// <see cref="TabularEncoder"/> the <c>tabular</c> step serves with, train with ML.NET (seed 1), export ONNX, run the
/// held-out rows through the exported pipeline in process and fail unless it matches ML.NET within 1e-5, then write
/// config.json, card.md and heldout.jsonl.
/// </summary>
internal static class TabularTrainer
{
    /// <summary>
    /// heldout.jsonl holds every held-out row (under 4,000 for every data set), so tests recompute the card's metrics
    /// from it exactly.
    /// </summary>
    public const int HeldoutCap = int.MaxValue;

    /// <summary>Builds the model into <c>context.ModelDirectory(recipe.Name)</c>.</summary>
    public static async Task BuildAsync(TabularRecipe recipe, ZooContext context, CancellationToken cancellationToken)
    {
        var data = await StdlibDatasets.DataAsync(context, recipe.Dataset, cancellationToken).ConfigureAwait(false);
        var table = CsvTable.Read(Path.Combine(data, "data.csv"));
        var columns = recipe.Fields.Select(f => table.Column(f.Column)).ToArray();
        var target = table.Column(recipe.Target);
        var idColumn = recipe.IdColumn is null ? -1 : table.Column(recipe.IdColumn);
        var ids = table.Rows.Select((r, i) => idColumn < 0 ? (i + 1).ToString(CultureInfo.InvariantCulture) : r[idColumn]).ToArray();
        var heldOut = ids.Select(id => Holdout.IsHeldOut(recipe.Dataset, id)).ToArray();
        var train = Enumerable.Range(0, table.Rows.Count).Where(i => !heldOut[i]).ToArray();
        var test = Enumerable.Range(0, table.Rows.Count).Where(i => heldOut[i]).ToArray();

        var schema = Schema(recipe, table, columns, train);
        var encoder = new TabularEncoder(schema);
        float[] Encode(int row)
        {
            var features = new float[schema.Width];
            encoder.Encode(new CsvRow(table.Rows[row], columns, recipe.Fields, row), features);
            return features;
        }

        var trainFeatures = train.Select(Encode).ToArray();
        var testFeatures = test.Select(Encode).ToArray();
        var ml = new MLContext(seed: 1);
        var view = recipe.Binary
            ? MlNet.Binary(ml, trainFeatures, train.Select(i => Truth(table.Rows[i][target])).ToArray())
            : MlNet.Regression(ml, trainFeatures, train.Select(i => (float)CsvTable.Number(table.Rows[i][target])).ToArray());
        var stopwatch = Stopwatch.StartNew();
        var model = recipe.Trainer(ml).Fit(view);
        var trainSeconds = stopwatch.Elapsed.TotalSeconds;
        var scoreColumn = recipe.Binary ? "Probability" : "Score";
        var expected = MlNet.Column(model.Transform(MlNet.Features(ml, testFeatures, schema.Width)), scoreColumn);

        var directory = context.ModelDirectory(recipe.Name);
        MlNet.ExportOnnx(ml, model, schema.Width, Path.Combine(directory, "1", "model.onnx"));
        var pipeline = Pipeline(recipe, schema, scoreColumn + ".output");
        var monitoring = Monitoring(recipe, train.Select(i => CsvTable.Number(table.Rows[i][target])).ToArray());
        // The held-out rows double as the explainers' background: SHAP compares with them, LIME samples around them.
        var explain = new JsonObject { ["background"] = new JsonObject { ["file"] = "heldout.jsonl", ["rows"] = 100 } };
        ModelFiles.WriteConfig(directory, recipe.Name, pipeline, monitoring, explain);

        // The exported ONNX behind the real tabular step, as served (the later fields/threshold steps only rename).
        var check = (JsonObject)pipeline.DeepClone();
        check["steps"] = new JsonArray(check["steps"]![0]!.DeepClone(), check["steps"]![1]!.DeepClone());
        check["outputs"] = new JsonArray("score");
        var checkConfig = new Abstractions.Configuration.ModelConfig { Name = recipe.Name, MaxBatchSize = 64, Pipeline = check.ToJsonString() };
        double maxDiff;
        using (var loaded = await PipelineRunner.LoadAsync(directory, checkConfig, cancellationToken).ConfigureAwait(false))
        {
            var served = await PipelineRunner.RunFloatsAsync(loaded, test.Length, (start, count) => Inputs(recipe, schema, table, columns, test.AsSpan(start, count)), ["score"], 64, cancellationToken).ConfigureAwait(false);
            maxDiff = PipelineRunner.Compare(recipe.Name, expected, served[0]);
        }

        var metrics = Metrics(recipe, test.Select(i => table.Rows[i][target]).ToArray(), expected);
        var lines = HeldoutLines(recipe, table, columns, target, test, ids, expected);
        ModelFiles.WriteHeldout(directory, lines);
        ModelFiles.WriteCard(directory, recipe.Name, metrics, Card(recipe, schema, table.Rows.Count, train.Length, test.Length, lines.Count, maxDiff, trainSeconds, (JsonObject)lines[0].DeepClone(), monitoring));
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the two middle ones for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>
    /// The <c>monitoring</c> section of a recipe with a fairness attribute: binary, positive at the serving threshold
    /// and the true label; regression, positive at or above the median target of the training rows.
    /// </summary>
    private static JsonObject? Monitoring(TabularRecipe recipe, double[] trainTargets)
    {
        if (recipe.Fairness is not { } fairness)
        {
            return null;
        }

        var task = recipe.Binary
            ? new JsonObject { ["type"] = "binary", ["output"] = recipe.Output, ["threshold"] = Training.Metrics.Threshold, ["positive_label"] = recipe.Labels[1] }
            : new JsonObject { ["type"] = "regression", ["output"] = recipe.Output, ["threshold"] = Median(trainTargets) };
        return new JsonObject
        {
            ["task"] = task,
            ["fairness"] = new JsonObject { ["attribute"] = fairness.Attribute, ["privileged"] = fairness.Privileged },
        };
    }

    /// <summary>Whether a 0/1 (or false/true) target cell is positive.</summary>
    public static bool Truth(string cell) => cell is "1" or "true";

    private static FeatureSchema Schema(TabularRecipe recipe, CsvTable table, int[] columns, int[] train)
    {
        var specs = new List<FeatureSpec>();
        for (var f = 0; f < recipe.Fields.Count; f++)
        {
            var (name, type) = recipe.Fields[f];
            var column = columns[f];
            specs.Add(type switch
            {
                FeatureType.Number => NumberSpec(name, train.Select(i => CsvTable.Number(table.Rows[i][column])).ToArray()),
                FeatureType.Category => new FeatureSpec(name, type) { Categories = table.Rows.Select(r => r[column]).Distinct().Order(StringComparer.Ordinal).ToArray() },
                _ => new FeatureSpec(name, type),
            });
        }

        return new FeatureSchema(specs);
    }

    private static FeatureSpec NumberSpec(string name, double[] values)
    {
        var mean = values.Average();
        var std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        return std > 0 ? new FeatureSpec(name, FeatureType.Number) { Mean = mean, Std = std } : new FeatureSpec(name, FeatureType.Number);
    }

    private static JsonObject Pipeline(TabularRecipe recipe, FeatureSchema schema, string onnxOutput)
    {
        var inputs = new JsonArray(schema.Features.Select(f => (JsonNode)new JsonObject
        {
            ["name"] = f.Name,
            ["data_type"] = f.Type switch { FeatureType.Number => "TYPE_FP32", FeatureType.Bool => "TYPE_BOOL", _ => "TYPE_STRING" },
            ["dims"] = new JsonArray(),
        }).ToArray());
        var steps = new JsonArray
        {
            new JsonObject { ["name"] = "encode", ["kind"] = "tabular", ["options"] = new JsonObject { ["features"] = schema.ToJson() } },
            new JsonObject { ["name"] = "model", ["kind"] = "onnx", ["inputs"] = new JsonObject { ["Features"] = "features" }, ["outputs"] = new JsonObject { [onnxOutput] = "score" } },
            new JsonObject { ["name"] = "fields", ["kind"] = "fields", ["inputs"] = new JsonObject { ["x"] = "score" }, ["options"] = new JsonObject { ["names"] = new JsonArray(recipe.Output) } },
        };
        var outputs = new JsonArray(recipe.Output);
        if (recipe.Binary)
        {
            steps.Add(new JsonObject
            {
                ["name"] = "decision",
                ["kind"] = "threshold",
                ["inputs"] = new JsonObject { ["score"] = recipe.Output },
                ["outputs"] = new JsonObject { ["decision"] = "label" },
                ["options"] = new JsonObject { ["threshold"] = Training.Metrics.Threshold, ["labels"] = new JsonArray(recipe.Labels.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()) },
            });
            outputs = new JsonArray("label", recipe.Output);
        }

        return new JsonObject { ["inputs"] = inputs, ["steps"] = steps, ["outputs"] = outputs };
    }

    private static InferenceTensor[] Inputs(TabularRecipe recipe, FeatureSchema schema, CsvTable table, int[] columns, ReadOnlySpan<int> rows)
    {
        var result = new InferenceTensor[columns.Length];
        var rowArray = rows.ToArray();
        for (var f = 0; f < columns.Length; f++)
        {
            var column = columns[f];
            var name = schema.Features[f].Name;
            result[f] = recipe.Fields[f].Type switch
            {
                FeatureType.Number => PipelineRunner.Floats(name, rowArray.Select(r => (float)CsvTable.Number(table.Rows[r][column]))),
                FeatureType.Bool => new InferenceTensor(name, DataType.Bool, [rowArray.Length], rowArray.Select(r => CsvTable.Number(table.Rows[r][column]) != 0 ? (byte)1 : (byte)0).ToArray()),
                _ => TensorData.Strings(name, [rowArray.Length], rowArray.Select(r => table.Rows[r][column]).ToArray()),
            };
        }

        return result;
    }

    private static List<(string Name, double Value)> Metrics(TabularRecipe recipe, string[] truth, float[] predicted)
    {
        var prediction = predicted.Select(p => (double)p).ToArray();
        if (recipe.Binary)
        {
            var labels = truth.Select(Truth).ToArray();
            return [("auc", Training.Metrics.Auc(labels, prediction)), ("accuracy", Training.Metrics.Accuracy(labels, prediction)), ("recall", Training.Metrics.Recall(labels, prediction))];
        }

        var values = truth.Select(CsvTable.Number).ToArray();
        return recipe.Name == "wages"
            ? [("r2", Training.Metrics.R2(values, prediction)), ("mae", Training.Metrics.Mae(values, prediction))]
            : [("r2", Training.Metrics.R2(values, prediction)), ("rmse", Training.Metrics.Rmse(values, prediction))];
    }

    /// <summary>
    /// heldout.jsonl rows: for a binary model every held-out positive first (up to half the cap; they are rare), then
    /// the others in a stable hashed order.
    /// </summary>
    private static List<JsonObject> HeldoutLines(TabularRecipe recipe, CsvTable table, int[] columns, int target, int[] test, string[] ids, float[] expected)
    {
        var order = Enumerable.Range(0, test.Length).OrderBy(k => Holdout.Order(recipe.Dataset, ids[test[k]])).ToList();
        if (recipe.Binary)
        {
            var positives = order.Where(k => Truth(table.Rows[test[k]][target])).Take(HeldoutCap / 2).ToList();
            order = positives.Concat(order.Except(positives)).ToList();
        }

        var lines = new List<JsonObject>();
        foreach (var k in order.Take(HeldoutCap))
        {
            var row = table.Rows[test[k]];
            var line = new JsonObject();
            for (var f = 0; f < columns.Length; f++)
            {
                var cell = row[columns[f]];
                line[recipe.Fields[f].Column] = recipe.Fields[f].Type switch
                {
                    FeatureType.Number => JsonValue.Create(CsvTable.Number(cell)),
                    FeatureType.Bool => JsonValue.Create(CsvTable.Number(cell) != 0),
                    _ => JsonValue.Create(cell),
                };
            }

            var p = expected[k];
            line["expected"] = recipe.Binary
                ? new JsonObject { ["label"] = recipe.Labels[p >= Training.Metrics.Threshold ? 1 : 0], [recipe.Output] = p }
                : new JsonObject { [recipe.Output] = p };
            line["label"] = recipe.Binary ? JsonValue.Create(recipe.Labels[Truth(row[target]) ? 1 : 0]) : JsonValue.Create(CsvTable.Number(row[target]));
            lines.Add(line);
        }

        return lines;
    }

    private static string Card(TabularRecipe recipe, FeatureSchema schema, int rows, int trainRows, int testRows, int fileRows, double maxDiff, double trainSeconds, JsonObject example, JsonObject? monitoring)
    {
        example.Remove("expected");
        example.Remove("label");
        var inputs = string.Join("\n", schema.Features.Select(f => f.Type switch
        {
            FeatureType.Category => $"- `{f.Name}` (string): one of {string.Join(", ", f.Categories.Select(c => $"`{c}`"))}",
            FeatureType.Bool => $"- `{f.Name}` (bool)",
            _ => $"- `{f.Name}` (number; standardised with the training mean {f.Mean?.ToString("G6", CultureInfo.InvariantCulture) ?? "-"} and std {f.Std?.ToString("G6", CultureInfo.InvariantCulture) ?? "-"})",
        }));
        var outputs = recipe.Binary
            ? $"- `{recipe.Output}` (number): the model's probability of `{recipe.Labels[1]}`\n- `label` (string): `{recipe.Labels[1]}` when `{recipe.Output}` >= {Training.Metrics.Threshold}, else `{recipe.Labels[0]}`"
            : $"- `{recipe.Output}` (number): the predicted `{recipe.Target}`";
        return $"""
            ## Intended use

            {recipe.IntendedUse}

            ## Inputs and outputs

            Inputs (a missing field or an unknown category is a 400 naming the field):
            {inputs}

            Outputs:
            {outputs}

            {ModelFiles.Curl(recipe.Name, example)}

            ## Training data

            npm `{StdlibDatasets.Package}` {StdlibDatasets.Version}, folder `{recipe.Dataset}` (`data/data.csv`, {rows} rows). {recipe.DataText}
            Split: a row is held out when FNV-1a 32 of `"{recipe.Dataset}:<row id>"` is 0 modulo 5 (id: {recipe.IdColumn ?? "1-based row number"}); {trainRows} training rows, {testRows} held-out rows.

            ## Training

            ML.NET (`MLContext(seed: 1)`), {recipe.TrainerText}, trained in {trainSeconds:F1} s. Features: the `tabular` step's encoding ({schema.Width} columns; numbers standardised with the training split's mean and std, bools 0/1, categories one-hot), computed by the same `TabularEncoder` as at serving time. Exported to ONNX with a features-only schema.

            ## Held-out evaluation

            Metrics are computed on the {testRows} held-out rows from ML.NET's predictions{(recipe.Binary ? $" (accuracy and recall at probability >= {Training.Metrics.Threshold}, as served)" : "")}. The exported pipeline reproduced ML.NET's predictions with a max abs difference of {maxDiff:G3} (the build fails above 1e-5, relative for values above 1). `heldout.jsonl` holds {fileRows} of these rows{(recipe.Binary ? " (every held-out positive first, then the others in a hashed order)" : "")} with ML.NET's prediction (`expected`) and the true target (`label`).

            ## Limitations

            {recipe.Limitations}{MonitoringText(recipe, monitoring)}
            """;
    }

    private static string MonitoringText(TabularRecipe recipe, JsonObject? monitoring)
    {
        if (monitoring is null || recipe.Fairness is not { } fairness)
        {
            return "";
        }

        var threshold = monitoring["task"]!["threshold"]!.GetValue<double>().ToString("G6", CultureInfo.InvariantCulture);
        var positive = recipe.Binary ? $"`{recipe.Output}` >= {threshold} (`{recipe.Labels[1]}`)" : $"`{recipe.Output}` >= {threshold}, the median of the training rows";
        return $"""


            ## Monitoring

            `config.json` has a `monitoring` section (docs/accuracy-fairness-alerts.md): live accuracy of `{recipe.Output}` from feedback, and fairness over `{fairness.Attribute}` (privileged `{fairness.Privileged}`), where the positive outcome is {positive}.
            """;
    }

    /// <summary>A CSV row as the encoder reads it: numbers parsed invariantly, bools from 0/1, categories as written.</summary>
    private readonly struct CsvRow(string[] cells, int[] columns, IReadOnlyList<(string Column, FeatureType Type)> fields, int index) : ITabularRow
    {
        public int Index => index;

        public string Field(int feature) => fields[feature].Column;

        public double Number(int feature) => CsvTable.Number(cells[columns[feature]]);

        public string Text(int feature) => cells[columns[feature]];
    }
}
