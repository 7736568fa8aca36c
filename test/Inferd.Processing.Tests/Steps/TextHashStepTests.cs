using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Repository;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Steps.Text;
using Inferd.Processing.Tensors;
using Inferd.Testing;

namespace Inferd.Processing.Tests.Steps;

public sealed class TextHashStepTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    [InlineData("hello", 0x4f9f2cabu)]
    public void Hash_PublishedVectors_MatchFnv1a32(string text, uint expected) => Assert.Equal(expected, Fnv1a.Hash(text));

    [Fact]
    public void Featurize_OneToken_SetsItsFnvBucketToOne()
    {
        // Arrange
        var featurizer = new HashedTextFeaturizer(4096, ngrams: 1);
        var features = new float[4096];

        // Act
        featurizer.Featurize("Hello", features);

        // Assert: FNV-1a("hello") = 0x4f9f2cab, and 0x4f9f2cab & 4095 = 3243; one log1p count normalised to 1.
        Assert.Equal(1f, features[3243]);
        Assert.Equal(1, features.Count(f => f != 0));
    }

    [Fact]
    public void Featurize_DifferentCaseAndSeparators_GiveTheSameVector()
    {
        // Arrange
        var featurizer = new HashedTextFeaturizer(1024);
        var a = new float[1024];
        var b = new float[1024];

        // Act
        featurizer.Featurize("WIN big $$$ now!!! http://cheap.example.com", a);
        featurizer.Featurize("win, big $ $ $ now ! ! !  HTTP cheap example com", b);

        // Assert
        Assert.Equal(a, b);
    }

    [Fact]
    public void Featurize_AnyText_HasUnitNorm()
    {
        // Arrange
        var featurizer = new HashedTextFeaturizer();
        var features = new float[featurizer.Dimensions];

        // Act
        featurizer.Featurize("Subject: free money, free money, click here $ !", features);

        // Assert
        Assert.Equal(1.0, Math.Sqrt(features.Sum(f => (double)f * f)), 5);
    }

    [Fact]
    public void Featurize_Bigrams_AddTheJoinedPair()
    {
        // Arrange
        var unigrams = new float[4096];
        var bigrams = new float[4096];

        // Act
        new HashedTextFeaturizer(4096, ngrams: 1).Featurize("win $", unigrams);
        new HashedTextFeaturizer(4096, ngrams: 2).Featurize("win $", bigrams);

        // Assert: buckets of "win" (2905), "$" (2355) and "win $" (653).
        Assert.Equal([2355, 2905], Enumerable.Range(0, 4096).Where(i => unigrams[i] != 0));
        Assert.Equal([653, 2355, 2905], Enumerable.Range(0, 4096).Where(i => bigrams[i] != 0));
    }

    [Fact]
    public void Featurize_NoTokens_AllZeros()
    {
        // Arrange
        var features = Enumerable.Repeat(7f, 64).ToArray();

        // Act
        new HashedTextFeaturizer(64).Featurize(" ,.;-- ", features);

        // Assert
        Assert.All(features, f => Assert.Equal(0f, f));
    }

    [Fact]
    public void Featurize_TextLongerThanMaxChars_IgnoresTheTail()
    {
        // Arrange
        var featurizer = new HashedTextFeaturizer(256, maxChars: 5);
        var a = new float[256];
        var b = new float[256];

        // Act
        featurizer.Featurize("spam eggs", a);
        featurizer.Featurize("spam", b);

        // Assert
        Assert.Equal(b, a);
    }

    [Fact]
    public async Task RunAsync_Batch_EqualsFeaturizerPerRow()
    {
        // Arrange
        using var model = await LoadAsync("""{"dimensions": 128}""");
        string[] texts = ["cheap pills!!!", "", "Meeting at 10, see agenda"];

        // Act
        var outputs = await model.RunAsync(0, [TensorData.Strings("text", [3], texts)], ["features"], new RunTimings(), CancellationToken.None).AsTask().DefaultTimeout();

        // Assert
        var output = Assert.Single(outputs);
        Assert.Equal([3, 128], output.Shape);
        var expected = new float[3 * 128];
        var featurizer = new HashedTextFeaturizer(128);
        for (var r = 0; r < texts.Length; r++)
        {
            featurizer.Featurize(texts[r], expected.AsSpan(r * 128, 128));
        }

        Assert.Equal(expected, TensorData.Floats(output).ToArray());
    }

    [Theory]
    [InlineData("""{"dimensions": 1000}""", "must be a power of two")]
    [InlineData("""{"ngrams": 3}""", "option 'ngrams' must be in [1, 2]")]
    [InlineData("""{"buckets": 8}""", "unknown option 'buckets'")]
    public async Task LoadAsync_BadOption_FailsNamingIt(string options, string expected)
    {
        // Arrange, Act
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => LoadAsync(options));

        // Assert
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private async Task<ILoadedModel> LoadAsync(string options)
    {
        var pipeline = $$"""
            {"inputs": [{"name": "text", "data_type": "TYPE_STRING", "dims": []}],
             "steps": [{"name": "hash", "kind": "text_hash", "options": {{options}}}],
             "outputs": ["features"]}
            """;
        var config = new ModelConfig { Name = "t", MaxBatchSize = 8, Pipeline = pipeline };
        return await new PipelineBackend(new OnnxRuntimeBackend()).LoadAsync(new ModelLoadContext("t", "1", _directory.Path, config), CancellationToken.None).DefaultTimeout();
    }
}
