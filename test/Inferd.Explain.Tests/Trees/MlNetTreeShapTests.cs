using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Shap;
using Inferd.Explain.Trees;
using Inferd.Testing;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using static Inferd.Explain.Tests.Trees.BruteForceShapley;

namespace Inferd.Explain.Tests.Trees;

/// <summary>
/// Tree SHAP on an ensemble ML.NET trains and exports (FastTree → ONNX TreeEnsembleRegressor behind Identity nodes),
/// served as the zoo serves it: tabular step (a category, a number, a bool) → onnx → fields.
/// </summary>
public sealed class MlNetTreeShapTests
{
    private static readonly string[] Colors = ["red", "green", "blue"];

    private const string Config = """
        {"name": "prices", "max_batch_size": 64,
         "pipeline": {
           "inputs": [{"name": "size", "data_type": "TYPE_FP32", "dims": []},
                      {"name": "color", "data_type": "TYPE_STRING", "dims": []},
                      {"name": "fresh", "data_type": "TYPE_BOOL", "dims": []}],
           "steps": [
             {"name": "encode", "kind": "tabular", "options": {"features": [
               {"name": "size", "type": "number", "mean": 10, "std": 3},
               {"name": "color", "type": "category", "categories": ["red", "green", "blue"]},
               {"name": "fresh", "type": "bool"}]}},
             {"name": "model", "kind": "onnx", "inputs": {"Features": "features"}, "outputs": {"Score.output": "score"}},
             {"name": "fields", "kind": "fields", "inputs": {"x": "score"}, "options": {"names": ["price"]}}],
           "outputs": ["price"]},
         "explain": {"background": {"file": "background.jsonl"}}}
        """;

    [Fact]
    public async Task ExplainAsync_FastTreePipeline_EqualsBruteForceAndExactKernelShapWithOneHotGrouped()
    {
        // Arrange
        var random = new Random(11);
        var rows = Enumerable.Range(0, 240).Select(_ => Row(random)).ToArray();
        var background = rows.Take(20).ToArray();
        object[] x = [13.5f, "red", false];
        await using var repository = new ExplainRepository()
            .Model("prices", Config, [("model.onnx", Train(rows))], ("background.jsonl", Lines(background)));
        using var service = await repository.StartAsync([new TreeShapExplainer(), new KernelShapExplainer()]);
        var request = new InferenceRequest("prices", null, null, [Tensor("size", DataType.Fp32, x[0]), Tensor("color", DataType.Bytes, x[1]), Tensor("fresh", DataType.Bool, x[2])], [], new Dictionary<string, ParameterValue>());

        // Act
        var result = await service.ExplainAsync(new ExplanationRequest(request), CancellationToken.None).DefaultTimeout();
        var kernel = await service.ExplainAsync(new ExplanationRequest(request) { Method = "kernel_shap", Mode = "exact" }, CancellationToken.None).DefaultTimeout();
        InputSpec[] inputs = [new("size", DataType.Fp32, [0], []), new("color", DataType.Bytes, [1], []), new("fresh", DataType.Bool, [2], [])];
        var (phi, empty) = await ComputeAsync(repository.Facade!, "prices", inputs, "price", 0, x, background);

        // Assert: picked by default for a tree pipeline; one attribution per field, the category's three columns as one.
        Assert.Equal("tree_shap", result.Method);
        Assert.Equal(["size", "color", "fresh"], result.Features.Select(f => f.Name));
        Assert.Equal("red", result.Features[1].Value);
        Assert.True(phi.Max(Math.Abs) > 0.1, "the brute-force values must not be trivially zero");
        TreeShapTests.AssertClose(phi, result.Features.Select(f => f.Attribution).ToArray());
        TreeShapTests.AssertClose(kernel.Features.Select(f => f.Attribution).ToArray(), result.Features.Select(f => f.Attribution).ToArray());
        Assert.Equal(empty, result.BaseValue!.Value, 1e-5);
        Assert.True(result.AdditivityError < 1e-4, $"additivity error {result.AdditivityError}");
    }

    [Fact]
    public async Task ExplainAsync_CalibratedBinaryPipeline_RefusesProbabilityNamingTheScore()
    {
        // Arrange: ML.NET's binary FastTree exports trees → Score → Platt calibrator → Probability; the pipeline serves Probability.
        var random = new Random(12);
        var rows = Enumerable.Range(0, 240).Select(_ => Row(random)).ToArray();
        var config = Config.Replace("\"Score.output\": \"score\"", "\"Probability.output\": \"score\"", StringComparison.Ordinal).Replace("prices", "risky", StringComparison.Ordinal);
        await using var repository = new ExplainRepository()
            .Model("risky", config, [("model.onnx", TrainBinary(rows))], ("background.jsonl", Lines(rows.Take(5).ToArray())));
        using var service = await repository.StartAsync([new TreeShapExplainer()]);
        var request = new ExplanationRequest(new InferenceRequest("risky", null, null, [Tensor("size", DataType.Fp32, 12f), Tensor("color", DataType.Bytes, "blue"), Tensor("fresh", DataType.Bool, true)], [], new Dictionary<string, ParameterValue>()));

        // Act
        var refused = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(request with { Method = "tree_shap" }, CancellationToken.None)).DefaultTimeout();
        var fallback = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(request, CancellationToken.None)).DefaultTimeout();

        // Assert: the refusal names the output tree_shap could explain; without a method the service does not pick tree_shap.
        Assert.Equal(InferenceErrorKind.InvalidInput, refused.Kind);
        Assert.StartsWith("tree_shap: output 'price' is not the trees' raw score", refused.Message, StringComparison.Ordinal);
        Assert.Contains("output 'Score.output' of the model file", refused.Message, StringComparison.Ordinal);
        Assert.Contains("kernel_shap", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'kernel_shap' is not available", fallback.Message, StringComparison.Ordinal);
    }

    private static object[] Row(Random random) =>
        [(float)Math.Round(10 + (3 * ((random.NextDouble() * 2) - 1)), 1), Colors[random.Next(3)], random.Next(2) == 1];

    /// <summary>Trains FastTree on price = 2·size + color effect − 1.5·fresh + noise; returns the ONNX file.</summary>
    private static byte[] Train(object[][] rows)
    {
        var ml = new MLContext(seed: 1);
        var data = rows.Select(r =>
        {
            var size = (float)r[0];
            var color = Array.IndexOf(Colors, (string)r[1]);
            var fresh = (bool)r[2];
            var label = (2 * size) + (color == 0 ? 3f : color == 1 ? -1f : 0f) - (fresh ? 1.5f : 0f);
            return new Example { Features = [(size - 10f) / 3f, color == 0 ? 1 : 0, color == 1 ? 1 : 0, color == 2 ? 1 : 0, fresh ? 1 : 0], Label = label };
        }).ToList();
        var view = ml.Data.LoadFromEnumerable(data, Schema<Example>());
        var model = ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = 20,
            NumberOfLeaves = 4,
            MinimumExampleCountPerLeaf = 5,
            NumberOfThreads = 1,
        }).Fit(view);
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, ml.Data.LoadFromEnumerable(new List<FeaturesOnly>(), Schema<FeaturesOnly>()), stream);
        return stream.ToArray();
    }

    /// <summary>Trains a calibrated FastTree binary classifier on "price above 21"; returns the ONNX file.</summary>
    private static byte[] TrainBinary(object[][] rows)
    {
        var ml = new MLContext(seed: 1);
        var data = rows.Select(r =>
        {
            var size = (float)r[0];
            var color = Array.IndexOf(Colors, (string)r[1]);
            var fresh = (bool)r[2];
            return new BinaryExample { Features = [(size - 10f) / 3f, color == 0 ? 1 : 0, color == 1 ? 1 : 0, color == 2 ? 1 : 0, fresh ? 1 : 0], Label = (2 * size) + (color == 0 ? 3 : 0) > 21 };
        }).ToList();
        var model = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = 10,
            NumberOfLeaves = 4,
            MinimumExampleCountPerLeaf = 5,
            NumberOfThreads = 1,
        }).Fit(ml.Data.LoadFromEnumerable(data, Schema<BinaryExample>()));
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, ml.Data.LoadFromEnumerable(new List<FeaturesOnly>(), Schema<FeaturesOnly>()), stream);
        return stream.ToArray();
    }

    private static SchemaDefinition Schema<T>()
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 5);
        return schema;
    }

    private static string Lines(object[][] rows) => string.Join('\n', rows.Select(r => string.Create(CultureInfo.InvariantCulture,
        $$"""{"size": {{((float)r[0]).ToString("R", CultureInfo.InvariantCulture)}}, "color": "{{r[1]}}", "fresh": {{((bool)r[2] ? "true" : "false")}}}""")));

    private static InferenceTensor Tensor(string name, DataType type, object value)
    {
        if (type == DataType.Bytes)
        {
            var text = Encoding.UTF8.GetBytes((string)value);
            var cell = new byte[4 + text.Length];
            BinaryPrimitives.WriteInt32LittleEndian(cell, text.Length);
            text.CopyTo(cell, 4);
            return new InferenceTensor(name, type, [1], cell);
        }

        var data = new byte[type.ElementSize()];
        Evaluation.CellCodec.Write(type, data, 0, Convert.ToDouble(value, CultureInfo.InvariantCulture));
        return new InferenceTensor(name, type, [1], data);
    }

    /// <summary>A training row; ML.NET binds public properties by reflection.</summary>
    public sealed class Example
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    /// <summary>A binary training row.</summary>
    public sealed class BinaryExample
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    /// <summary>The ONNX export's schema: features only, so the graph's one input is <c>Features</c>.</summary>
    public sealed class FeaturesOnly
    {
        public float[] Features { get; set; } = [];
    }
}
