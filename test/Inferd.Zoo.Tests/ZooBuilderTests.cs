using Inferd.Testing;

namespace Inferd.Zoo.Tests;

public sealed class ZooBuilderTests : IDisposable
{
    private readonly TempDirectory _repository = new();
    private readonly TempDirectory _cache = new();
    private readonly StringWriter _log = new();

    [Fact]
    public async Task BuildAsync_ModelThrows_LeavesNoModelDirectoryAndReportsIt()
    {
        // Arrange
        var builder = new ZooBuilder(_repository.Path, _cache.Path, _log);

        // Act
        var failed = await builder.BuildAsync([new TestModel("broken", fail: true)], force: false, only: null, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Equal(["broken"], failed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_repository.Path));
        Assert.Contains("broken: FAILED", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_BuildWritesTooLittle_FailsNamingTheMissingFile()
    {
        // Arrange
        var builder = new ZooBuilder(_repository.Path, _cache.Path, _log);

        // Act
        var failed = await builder.BuildAsync([new TestModel("partial", writeCard: false)], force: false, only: null, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Equal(["partial"], failed);
        Assert.False(Directory.Exists(Path.Combine(_repository.Path, "partial")));
        Assert.Contains("did not write card.md", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_BuiltModel_SkippedUnlessForced()
    {
        // Arrange
        var model = new TestModel("m");
        var builder = new ZooBuilder(_repository.Path, _cache.Path, _log);
        await builder.BuildAsync([model], force: false, only: null, CancellationToken.None).DefaultTimeout();

        // Act
        await builder.BuildAsync([model], force: false, only: null, CancellationToken.None).DefaultTimeout();
        await builder.BuildAsync([model], force: true, only: null, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Equal(2, model.Builds);
        Assert.Contains("m: up to date", _log.ToString(), StringComparison.Ordinal);
        Assert.Equal("2", File.ReadAllText(Path.Combine(_repository.Path, "m", "card.md")).Split('\n').Last(l => l.Length > 0));
        Assert.False(Directory.Exists(Path.Combine(_repository.Path, ".zoo-build")));
    }

    [Fact]
    public async Task BuildAsync_Only_BuildsThatModelAndPrintsItsMetrics()
    {
        // Arrange
        var a = new TestModel("a");
        var b = new TestModel("b");
        var builder = new ZooBuilder(_repository.Path, _cache.Path, _log);

        // Act
        var failed = await builder.BuildAsync([a, b], force: false, only: "b", CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Empty(failed);
        Assert.Equal((0, 1), (a.Builds, b.Builds));
        Assert.True(builder.IsBuilt(b));
        Assert.Matches(@"b: built in [0-9.]+ s; accuracy 0\.5000", _log.ToString());
    }

    [Fact]
    public async Task BuildAsync_UnknownOnly_ThrowsListingTheModels()
    {
        // Arrange
        var builder = new ZooBuilder(_repository.Path, _cache.Path, _log);

        // Act
        var error = await Assert.ThrowsAsync<ZooException>(() => builder.BuildAsync([new TestModel("a")], force: false, only: "zebra", CancellationToken.None)).DefaultTimeout();

        // Assert
        Assert.Equal("no zoo model named 'zebra' (known: a)", error.Message);
    }

    public void Dispose()
    {
        _repository.Dispose();
        _cache.Dispose();
        _log.Dispose();
    }

    /// <summary>A zoo model that writes a tiny plain config and card (the smoke load is a plain ONNX model).</summary>
    private sealed class TestModel(string name, bool fail = false, bool writeCard = true) : IZooModel
    {
        public int Builds { get; private set; }

        public string Name => name;

        public IReadOnlyList<string> Outputs { get; } = ["config.json", "1/model.onnx", "card.md"];

        public Task BuildAsync(ZooContext context, CancellationToken cancellationToken)
        {
            Builds++;
            var directory = context.ModelDirectory(name);
            ZooContext.WriteAtomically(Path.Combine(directory, "1", "model.onnx"), Inferd.Testing.Models.TestModels.StringIdentity([-1]));
            ZooContext.WriteAtomically(Path.Combine(directory, "config.json"), $$"""{"name": "{{name}}"}""");
            if (fail)
            {
                throw new ZooException("the download failed");
            }

            if (writeCard)
            {
                ZooContext.WriteAtomically(Path.Combine(directory, "card.md"), $"---\nmetrics:\n  accuracy: 0.5000\n---\n# {name}\n\n{Builds}\n");
            }

            return Task.CompletedTask;
        }
    }
}
