using System.Text.Json;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Repository;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Steps.Tabular;
using Inferd.Processing.Tensors;
using Inferd.Testing;

namespace Inferd.Processing.Tests.Steps;

public sealed class TabularStepTests : IDisposable
{
    private const string Features = """
        [{"name": "crim", "type": "number", "mean": 2, "std": 4},
         {"name": "chas", "type": "bool"},
         {"name": "gender", "type": "category", "categories": ["female", "male"]}]
        """;

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task RunAsync_NumberBoolAndCategory_EncodesEachRow()
    {
        // Arrange
        using var model = await LoadAsync(Features, Input("crim", "TYPE_FP32"), Input("chas", "TYPE_BOOL"), Input("gender", "TYPE_STRING"));

        // Act
        var output = await RunAsync(model, Floats("crim", 6, 2), Bools("chas", true, false), Strings("gender", "male", "female"));

        // Assert
        Assert.Equal([2, 4], output.Shape);
        Assert.Equal([1f, 1, 0, 1, 0f, 0, 1, 0], TensorData.Floats(output).ToArray());
    }

    [Fact]
    public async Task RunAsync_NumberWithoutMeanAndFp64Input_PassesValueThrough()
    {
        // Arrange
        using var model = await LoadAsync("""[{"name": "x", "type": "number"}]""", Input("x", "TYPE_FP64"));

        // Act
        var output = await RunAsync(model, new InferenceTensor("x", DataType.Fp64, [2], BitConverter.GetBytes(1.5).Concat(BitConverter.GetBytes(-3.0)).ToArray()));

        // Assert
        Assert.Equal([1.5f, -3f], TensorData.Floats(output).ToArray());
    }

    [Fact]
    public async Task RunAsync_UnknownCategory_ThrowsNamingFieldRowAndCategories()
    {
        // Arrange
        using var model = await LoadAsync(Features, Input("crim", "TYPE_FP32"), Input("chas", "TYPE_BOOL"), Input("gender", "TYPE_STRING"));

        // Act
        var error = await Assert.ThrowsAsync<InferenceException>(() => RunAsync(model, Floats("crim", 1, 1), Bools("chas", true, true), Strings("gender", "male", "x")));

        // Assert
        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Equal("field 'gender' row 1: unknown category 'x' (expected one of female, male)", error.Message);
    }

    [Fact]
    public async Task RunAsync_NaNNumberWithErrorPolicy_ThrowsMissingValue()
    {
        // Arrange
        using var model = await LoadAsync(Features, Input("crim", "TYPE_FP32"), Input("chas", "TYPE_BOOL"), Input("gender", "TYPE_STRING"));

        // Act
        var error = await Assert.ThrowsAsync<InferenceException>(() => RunAsync(model, Floats("crim", 1, float.NaN), Bools("chas", true, true), Strings("gender", "male", "male")));

        // Assert
        Assert.Equal("field 'crim' row 1: missing value", error.Message);
    }

    [Fact]
    public async Task RunAsync_EmptyCategoryWithErrorPolicy_ThrowsMissingValue()
    {
        // Arrange
        using var model = await LoadAsync(Features, Input("crim", "TYPE_FP32"), Input("chas", "TYPE_BOOL"), Input("gender", "TYPE_STRING"));

        // Act
        var error = await Assert.ThrowsAsync<InferenceException>(() => RunAsync(model, Floats("crim", 1, 1), Bools("chas", true, true), Strings("gender", "", "male")));

        // Assert
        Assert.Equal("field 'gender' row 0: missing value", error.Message);
    }

    [Fact]
    public async Task RunAsync_MissingPolicies_UseMeanConstantAndDefault()
    {
        // Arrange
        const string features = """
            [{"name": "a", "type": "number", "mean": 3, "std": 2, "missing": "mean"},
             {"name": "b", "type": "number", "missing": -1},
             {"name": "c", "type": "category", "categories": ["x", "y"], "missing": "most_frequent", "default": "y"}]
            """;
        using var model = await LoadAsync(features, Input("a", "TYPE_FP32"), Input("b", "TYPE_FP32"), Input("c", "TYPE_STRING"));

        // Act
        var output = await RunAsync(model, Floats("a", float.NaN), Floats("b", float.NaN), Strings("c", ""));

        // Assert
        Assert.Equal([0f, -1, 0, 1], TensorData.Floats(output).ToArray());
    }

    [Fact]
    public async Task RunAsync_UnknownCategoryIgnored_WritesAllZeros()
    {
        // Arrange
        using var model = await LoadAsync("""[{"name": "c", "type": "category", "categories": ["x", "y"], "unknown": "ignore"}]""", Input("c", "TYPE_STRING"));

        // Act
        var output = await RunAsync(model, Strings("c", "z", "x"));

        // Assert
        Assert.Equal([0f, 0, 1, 0], TensorData.Floats(output).ToArray());
    }

    [Fact]
    public async Task RunAsync_NumericCategory_MatchesInvariantText()
    {
        // Arrange
        using var model = await LoadAsync("""[{"name": "mote", "type": "category", "categories": ["1", "2.5"]}]""", Input("mote", "TYPE_INT32", 1));

        // Act
        var output = await RunAsync(model, new InferenceTensor("mote", DataType.Int32, [1, 1], BitConverter.GetBytes(1)));

        // Assert
        Assert.Equal([1f, 0], TensorData.Floats(output).ToArray());
    }

    [Fact]
    public async Task LoadAsync_NumberFieldWiredToText_FailsNamingFeature()
    {
        // Arrange, Act
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => LoadAsync("""[{"name": "x", "type": "number"}]""", Input("x", "TYPE_STRING")));

        // Assert
        Assert.Contains("feature 'x' (number) reads 'x', which is BYTES", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"name": "x", "type": "number", "missing": "mean"}]""", "missing \"mean\" needs mean")]
    [InlineData("""[{"name": "x", "type": "category", "categories": []}]""", "categories must be a non-empty list")]
    [InlineData("""[{"name": "x", "type": "text"}]""", "type must be")]
    [InlineData("""[{"name": "x", "type": "number", "colour": 1}]""", "unknown field 'colour'")]
    public async Task LoadAsync_InvalidFeature_FailsNamingStepAndFeature(string features, string expected)
    {
        // Arrange, Act
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => LoadAsync(features, Input("x", "TYPE_FP32")));

        // Assert
        Assert.StartsWith("pipeline step 'encode': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_ParsedBack_EncodesIdentically()
    {
        // Arrange
        var schema = new FeatureSchema(
        [
            new FeatureSpec("a", FeatureType.Number) { Mean = 0.1 + 0.2, Std = 1.0 / 3, Missing = MissingPolicy.Mean },
            new FeatureSpec("b", FeatureType.Bool) { Missing = MissingPolicy.Constant, MissingValue = 0 },
            new FeatureSpec("c", FeatureType.Category) { Categories = ["x", "y"], Missing = MissingPolicy.MostFrequent, Default = "x", IgnoreUnknown = true },
        ]);

        // Act
        using var document = JsonDocument.Parse(schema.ToJson().ToJsonString());
        var parsed = FeatureSchema.Parse(document.RootElement);

        // Assert
        Assert.Equal(schema.Features, parsed.Features, (x, y) => x with { Categories = [] } == y with { Categories = [] } && x.Categories.SequenceEqual(y.Categories));
    }

    public void Dispose() => _directory.Dispose();

    private static string Input(string name, string type, int width = 0)
    {
        var dims = width > 0 ? width.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        return $$"""{"name": "{{name}}", "data_type": "{{type}}", "dims": [{{dims}}] }""";
    }

    private async Task<ILoadedModel> LoadAsync(string features, params string[] inputs)
    {
        var pipeline = $$"""
            {"inputs": [{{string.Join(", ", inputs)}}],
             "steps": [{"name": "encode", "kind": "tabular", "options": {"features": {{features}} } }],
             "outputs": ["features"]}
            """;
        var config = new ModelConfig { Name = "t", MaxBatchSize = 8, Pipeline = pipeline };
        return await new PipelineBackend(new OnnxRuntimeBackend()).LoadAsync(new ModelLoadContext("t", "1", _directory.Path, config), CancellationToken.None).DefaultTimeout();
    }

    private static async Task<InferenceTensor> RunAsync(ILoadedModel model, params InferenceTensor[] inputs)
    {
        var outputs = await model.RunAsync(0, inputs, ["features"], new RunTimings(), CancellationToken.None).AsTask().DefaultTimeout();
        return Assert.Single(outputs);
    }

    private static InferenceTensor Floats(string name, params float[] values) =>
        new(name, DataType.Fp32, [values.Length], values.SelectMany(BitConverter.GetBytes).ToArray());

    private static InferenceTensor Bools(string name, params bool[] values) =>
        new(name, DataType.Bool, [values.Length], values.Select(v => v ? (byte)1 : (byte)0).ToArray());

    private static InferenceTensor Strings(string name, params string[] values) => TensorData.Strings(name, [values.Length], values);
}
