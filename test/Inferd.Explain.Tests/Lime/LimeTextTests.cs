using System.Globalization;
using Inferd.Abstractions.Inference;
using Inferd.Explain.Lime;
using Inferd.Testing;

namespace Inferd.Explain.Tests.Lime;

public sealed class LimeTextTests
{
    private const int Dimensions = 4096;

    // A hashed bag of words (text_hash, unigrams) feeds a linear model that only reads the buckets of "great" (+2) and
    // "awful" (−1); every other word only dilutes them through the L2 normalisation.
    private const string Config = """
        {"name": "review", "max_batch_size": 64,
         "pipeline": {
           "inputs": [{"name": "text", "data_type": "TYPE_STRING", "dims": []}],
           "steps": [
             {"name": "hash", "kind": "text_hash", "options": {"dimensions": 4096, "ngrams": 1}},
             {"name": "model", "kind": "onnx"}],
           "outputs": ["y"]}}
        """;

    private const string Review = "the plot was great but the ending felt awful and slow";

    [Fact]
    public async Task ExplainAsync_WordDrivenModel_TopWordIsTheOneThatDrivesTheOutput()
    {
        // Arrange
        await using var repository = TextRepository();
        using var service = await repository.StartAsync([new LimeExplainer()]);
        var request = LimeModels.Row("review", LimeModels.Bytes("text", System.Text.Encoding.UTF8.GetBytes(Review))) with { Method = "lime" };

        // Act
        var result = await service.ExplainAsync(request, CancellationToken.None).DefaultTimeout();

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("; ", result.Features.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name}@{f.Value} {f.Weight:G4}"))) + $"; R² {result.R2:G4}; {result.Evaluations} evaluations in {result.Calls} calls, {result.DurationMs:0.0} ms");
        Assert.Equal("lime_text", result.Method);
        Assert.Equal(Review.Split(' '), result.Features.Select(f => f.Name));
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i.ToString(CultureInfo.InvariantCulture)), result.Features.Select(f => f.Value));
        var ranked = result.Features.OrderByDescending(f => Math.Abs(f.Weight!.Value)).ToArray();
        Assert.Equal("great", ranked[0].Name);
        Assert.True(ranked[0].Weight > 0);
        Assert.Equal("awful", ranked[1].Name);
        Assert.True(ranked[1].Weight < 0);
        Assert.Equal(ranked[0].Weight, ranked[0].Attribution);
        Assert.InRange(result.R2!.Value, 0.5, 1);
        Assert.Equal(1000, result.Samples);
    }

    [Fact]
    public async Task ExplainAsync_LimeTextOnAModelWithoutBytesInput_InvalidNamingTheInputs()
    {
        await using var repository = new ExplainRepository()
            .Model("lin", ExplainModels.VectorConfig("lin", 2), [("model.onnx", ExplainModels.Linear([1, 2], 0))]);
        using var service = await repository.StartAsync([new LimeExplainer()]);

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(ExplainRepository.VectorRow("lin", "x", [1, 2]) with { Method = "lime_text" }, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Equal("lime_text: model 'lin' has no BYTES input holding text (one element per row); its inputs are x FP64", error.Message);
    }

    [Fact]
    public async Task ExplainAsync_EmptyText_InvalidSayingThereAreNoWords()
    {
        await using var repository = TextRepository();
        using var service = await repository.StartAsync([new LimeExplainer()]);

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(LimeModels.Row("review", LimeModels.Bytes("text", " \t "u8.ToArray())) with { Method = "lime_text" }, CancellationToken.None)).DefaultTimeout();

        Assert.Equal("lime_text: input 'text' holds no words to remove", error.Message);
    }

    private static ExplainRepository TextRepository()
    {
        var weights = new float[Dimensions];
        weights[LimeModels.Bucket("great", Dimensions)] = 2;
        weights[LimeModels.Bucket("awful", Dimensions)] = -1;
        var others = Review.Split(' ').Where(w => w is not "great" and not "awful").Select(w => LimeModels.Bucket(w, Dimensions));
        Assert.DoesNotContain(LimeModels.Bucket("great", Dimensions), others);
        Assert.DoesNotContain(LimeModels.Bucket("awful", Dimensions), others);
        return new ExplainRepository().Model("review", Config, [("model.onnx", LimeModels.LinearFloat(weights, 0))]);
    }
}
