using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Processing.Tensors;
using static Inferd.Processing.Tests.Steps.StepHarness;

namespace Inferd.Processing.Tests.Steps;

/// <summary>mean_pool, l2_normalize, flatten and fields against hand computations.</summary>
public sealed class VectorStepTests : IDisposable
{
    private readonly StepHarness _harness = new();

    [Fact]
    public async Task MeanPool_MaskedTokens_AveragesOnlyUnmaskedRows()
    {
        // Arrange: 2 rows × 3 tokens × 2 dims; row 0 keeps tokens 0 and 1, row 1 keeps none.
        var hidden = Floats("hidden", [2, 3, 2], 1, 2, 3, 4, 100, 100, 5, 5, 5, 5, 5, 5);
        var mask = Int64s("mask", [2, 3], 1, 1, 0, 0, 0, 0);

        // Act
        var result = await _harness.LoadAndRunAsync("mean_pool", "{}", hidden, mask);

        // Assert: (1+3)/2, (2+4)/2; the empty row pools to zeros, not NaN.
        Assert.Equal([2L, 2L], result[0].Shape);
        Assert.Equal([2f, 3f, 0f, 0f], TensorData.Floats(result[0]).ToArray());
    }

    [Fact]
    public async Task MeanPool_MaskTokenCountDiffers_IsInvalidInput()
    {
        using var step = await _harness.LoadAsync("mean_pool", "{}", Sig("hidden", DataType.Fp32, [-1, -1, 2]), Sig("mask", DataType.Int64, [-1, -1]));

        var error = await Assert.ThrowsAsync<InferenceException>(() => RunAsync(step, Floats("hidden", [1, 2, 2], 1, 2, 3, 4), Int64s("mask", [1, 3], 1, 1, 1)));

        Assert.Contains("field 'mask'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeanPool_MaskIsFloat_FailsAtLoad()
    {
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("mean_pool", "{}", Sig("hidden", DataType.Fp32, [-1, -1, 2]), Sig("mask", DataType.Fp32, [-1, -1])));

        Assert.Contains("INT64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task L2Normalize_Rows_HaveUnitLengthAndZeroRowStaysZero()
    {
        var x = Floats("x", [2, 2], 3, 4, 0, 0);

        var result = await _harness.LoadAndRunAsync("l2_normalize", "{}", x);

        Assert.Equal([0.6f, 0.8f, 0f, 0f], TensorData.Floats(result[0]).ToArray());
    }

    [Fact]
    public async Task Flatten_FourDimensions_SharesTheInputMemory()
    {
        // Arrange
        var x = Floats("x", [2, 3, 1, 2], 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        using var step = await _harness.LoadAsync("flatten", "{}", Signature(x));

        // Act
        var result = await RunAsync(step, x);

        // Assert: same buffer, new shape; the signature knows the width.
        Assert.Equal([-1L, 6L], step.Outputs[0].Shape);
        Assert.Equal([2L, 6L], result[0].Shape);
        Assert.True(result[0].Data.Equals(x.Data));
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(result[0].Data.Span), ref MemoryMarshal.GetReference(x.Data.Span)));
    }

    [Fact]
    public async Task Flatten_VariableDimension_HasOpenWidth()
    {
        using var step = await _harness.LoadAsync("flatten", "{}", Sig("x", DataType.Int64, [-1, -1, 4]));

        Assert.Equal([-1L, -1L], step.Outputs[0].Shape);
        Assert.Equal(DataType.Int64, step.Outputs[0].DataType);
    }

    [Fact]
    public async Task Fields_TwoColumnsOfInt64_MapsToNamedFloatOutputs()
    {
        var x = Int64s("x", [2, 2], 1, 2, 3, 4);

        var result = await _harness.LoadAndRunAsync("fields", """{"names": ["price", "rooms"]}""", x);

        Assert.Equal("price", result[0].Name);
        Assert.Equal([1f, 3f], TensorData.Floats(result[0]).ToArray());
        Assert.Equal([2f, 4f], TensorData.Floats(result[1]).ToArray());
        Assert.Equal([2L], result[1].Shape);
    }

    [Fact]
    public async Task Fields_NameCountDiffersFromColumns_FailsAtLoad()
    {
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("fields", """{"names": ["price"]}""", Sig("x", DataType.Fp32, [-1, 2])));

        Assert.Contains("2 columns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fields_MissingNames_FailsAtLoad()
    {
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("fields", "{}", Sig("x", DataType.Fp32, [-1, 1])));

        Assert.Contains("'names' is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fields_WrongColumnCountAtRunTime_IsInvalidInputNamingField()
    {
        using var step = await _harness.LoadAsync("fields", """{"names": ["a", "b"]}""", Sig("x", DataType.Fp32, [-1, -1]));

        var error = await Assert.ThrowsAsync<InferenceException>(() => RunAsync(step, Floats("x", [1, 3], 1, 2, 3)));

        Assert.Contains("field 'x'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();
}
