using System.Globalization;
using System.Text;
using System.Text.Json;
using Inferd.Testing;
using Inferd.Zoo.Models;

namespace Inferd.Zoo.Tests;

/// <summary>
/// Builds each zoo model into a temp repository (downloads cached in INFERD_ZOO_CACHE or <c>.cache/zoo</c>), then loads
/// the result through the pipeline backend and checks the card's metric and the held-out embeddings.
/// </summary>
public sealed class ZooModelTests : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    private readonly TempDirectory _repository = new();

    [Fact]
    public async Task Build_MiniLm_WritesPipelineWhoseEmbeddingsMatchHeldout()
    {
        // Arrange / Act
        var directory = await BuildAsync(new MiniLmModel());

        // Assert
        Assert.InRange(Metric(directory, "triplet_accuracy"), 0.75, 1.0);
        var heldout = Heldout(directory);
        var texts = heldout.Select(h => Encoding.UTF8.GetBytes(h.GetProperty("text").GetString()!)).ToArray();
        var embeddings = await RunAsync(directory, "text", texts, "embedding");
        AssertClose(heldout.Select(h => Floats(h, "embedding")).ToArray(), embeddings);
        Assert.Equal(384, embeddings[0].Length);
    }

    [Fact]
    public async Task Build_ResNet18_WritesPipelineWhoseEmbeddingsMatchHeldout()
    {
        var directory = await BuildAsync(new ResNet18Model());

        Assert.InRange(Metric(directory, "retrieval_top1"), 0.7, 1.0);
        var heldout = Heldout(directory);
        var images = heldout.Select(h => File.ReadAllBytes(Path.Combine(directory, h.GetProperty("file").GetString()!))).ToArray();
        Assert.InRange(images.Sum(i => i.Length), 1, 1024 * 1024);
        var embeddings = await RunAsync(directory, "image", images, "embedding");
        AssertClose(heldout.Select(h => Floats(h, "embedding")).ToArray(), embeddings);
        Assert.Equal(512, embeddings[0].Length);
    }

    [Fact]
    public async Task Build_TextOrientation_WritesPipelineWhoseProbabilitiesMatchHeldout()
    {
        var directory = await BuildAsync(new TextOrientationModel());

        // 1.0 when measured (40 synthetic lines, half upside down) with PaddleOCR's own resize (height_pad).
        Assert.InRange(Metric(directory, "accuracy"), 0.9, 1.0);
        var heldout = Heldout(directory);
        var images = heldout.Select(h => File.ReadAllBytes(Path.Combine(directory, h.GetProperty("file").GetString()!))).ToArray();
        var probabilities = await RunAsync(directory, "image", images, "probabilities");
        AssertClose(heldout.Select(h => Floats(h, "probabilities")).ToArray(), probabilities);
        Assert.Equal("0\n180\n", File.ReadAllText(Path.Combine(directory, "labels.txt")));
    }

    private async Task<string> BuildAsync(IZooModel model)
    {
        var context = new ZooContext(_repository.Path, CacheDirectory(), TextWriter.Null);
        await model.BuildAsync(context, TestContext.Current.CancellationToken).WaitAsync(BuildTimeout);
        var directory = Path.Combine(_repository.Path, model.Name);
        Assert.All(model.Outputs, o => Assert.True(File.Exists(Path.Combine(directory, o)), o));
        Assert.StartsWith("---\nmetrics:\n", File.ReadAllText(Path.Combine(directory, "card.md")), StringComparison.Ordinal);
        return directory;
    }

    private static async Task<float[][]> RunAsync(string directory, string input, byte[][] rows, string output)
    {
        using var model = await ZooPipeline.LoadAsync(directory, TestContext.Current.CancellationToken).DefaultTimeout();
        var outputs = await ZooPipeline.RunAsync(model, input, rows, [output], 4, TestContext.Current.CancellationToken).DefaultTimeout();
        return ZooPipeline.FloatRows(outputs[0]);
    }

    private static void AssertClose(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var r = 0; r < expected.Length; r++)
        {
            Assert.Equal(expected[r].Length, actual[r].Length);
            for (var i = 0; i < expected[r].Length; i++)
            {
                Assert.True(Math.Abs(expected[r][i] - actual[r][i]) <= 1e-5, $"row {r} element {i}: {expected[r][i]} vs {actual[r][i]}");
            }
        }
    }

    private static double Metric(string directory, string name)
    {
        var prefix = $"  {name}: ";
        var line = File.ReadLines(Path.Combine(directory, "card.md")).Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }

    private static JsonElement[] Heldout(string directory) =>
        File.ReadLines(Path.Combine(directory, "heldout.jsonl")).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();

    private static float[] Floats(JsonElement line, string name) => line.GetProperty(name).EnumerateArray().Select(e => e.GetSingle()).ToArray();

    private static string CacheDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("INFERD_ZOO_CACHE");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Inferd.slnx")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? Path.GetTempPath(), ".cache", "zoo");
    }

    public void Dispose() => _repository.Dispose();
}
