using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Processing.Tensors;
using static Inferd.Processing.Tests.Steps.StepHarness;

namespace Inferd.Processing.Tests.Steps;

/// <summary>wordpiece over a hand-written vocabulary (ids are line numbers).</summary>
public sealed class WordPieceStepTests : IDisposable
{
    private const string Vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\ncat\nsit\n##s\non\nmat\n.\n";

    private readonly StepHarness _harness = new();

    public WordPieceStepTests() => _harness.WriteFile("vocab.txt", Vocab);

    [Fact]
    public async Task Run_TwoSentences_PadsToLongestWithMaskAndZeroTypes()
    {
        // Arrange
        var text = Bytes("text", Encoding.UTF8.GetBytes("The cat sits on the mat."), Encoding.UTF8.GetBytes("cat"));

        // Act
        var result = await _harness.LoadAndRunAsync("wordpiece", """{"vocab": "vocab.txt"}""", text);

        // Assert: the cat sit ##s on the mat . between [CLS]=2 and [SEP]=3; row 1 padded with [PAD]=0.
        Assert.Equal([2L, 10L], result[0].Shape);
        Assert.Equal([2L, 5, 6, 7, 8, 9, 5, 10, 11, 3, 2, 6, 3, 0, 0, 0, 0, 0, 0, 0], TensorData.Int64s(result[0]).ToArray());
        Assert.Equal([1L, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], TensorData.Int64s(result[1]).ToArray());
        Assert.All(TensorData.Int64s(result[2]).ToArray(), t => Assert.Equal(0L, t));
    }

    [Fact]
    public async Task Run_MaxLengthFourPaddedToMax_TruncatesKeepingClsAndSep()
    {
        var text = Bytes("text", Encoding.UTF8.GetBytes("the cat sits"), Encoding.UTF8.GetBytes("."));

        var result = await _harness.LoadAndRunAsync("wordpiece", """{"vocab": "vocab.txt", "max_length": 4, "padding": "max_length"}""", text);

        Assert.Equal([2L, 4L], result[0].Shape);
        Assert.Equal([2L, 5, 6, 3, 2, 11, 3, 0], TensorData.Int64s(result[0]).ToArray());
    }

    [Fact]
    public async Task Run_InvalidUtf8_IsInvalidInputNamingFieldAndRow()
    {
        using var step = await _harness.LoadAsync("wordpiece", """{"vocab": "vocab.txt"}""", Sig("text", DataType.Bytes, [-1]));

        var error = await Assert.ThrowsAsync<InferenceException>(() => RunAsync(step, Bytes("text", "ok"u8.ToArray(), [0xC3, 0x28])));

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("field 'text' row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_MissingVocabFile_FailsNamingOption()
    {
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("wordpiece", """{"vocab": "missing.txt"}""", Sig("text", DataType.Bytes, [-1])));

        Assert.Contains("'vocab'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"vocab": "vocab.txt", "max_length": 1}""", "'max_length'")]
    [InlineData("""{"vocab": "vocab.txt", "padding": "none"}""", "'padding'")]
    [InlineData("""{}""", "'vocab' is required")]
    public async Task Load_BadOption_FailsNamingOption(string options, string expected)
    {
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("wordpiece", options, Sig("text", DataType.Bytes, [-1])));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_TextIsFloat_FailsAtLoad()
    {
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("wordpiece", """{"vocab": "vocab.txt"}""", Sig("text", DataType.Fp32, [-1])));

        Assert.Contains("BYTES", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();
}
