using System.Globalization;
using Inferd.FunctionalTests.Cli;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Batch;

/// <summary>Scale-out: N workers with --shard-index/--shard-count split one input without overlap.</summary>
public sealed class BatchShardingTests
{
    [Fact]
    public async Task RunAsync_ThreeWorkersInParallel_UnionEqualsSingleRunRowForRow()
    {
        using var temp = new TempDirectory();
        var repo = BatchFixtures.WriteRepository(temp.Path);
        var input = Path.Combine(temp.Path, "input");
        var ids = BatchFixtures.WriteCsv(input, files: 3, rowsPerFile: 7_000);
        string[] Args(string output) =>
            ["batch", "-m", BatchFixtures.Model, "-i", input, "-o", output, "--model-repository", repo, "--id-column", "id", "--shard-rows", "1500", "--progress", "none"];

        var single = Path.Combine(temp.Path, "single");
        var alone = await CliRunner.RunAsync(Args(single));
        Assert.True(alone.ExitCode == 0, alone.StdErr);

        // Three processes at once into one shared folder, as the pods of a Kubernetes Indexed Job would.
        var shared = Path.Combine(temp.Path, "shared");
        var workers = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            CliRunner.RunAsync([.. Args(shared), "--shard-count", "3", "--shard-index", i.ToString(CultureInfo.InvariantCulture)])));
        foreach (var worker in workers)
        {
            Assert.True(worker.ExitCode == 0, worker.StdErr);
        }

        var singleParts = Parts(single);
        var sharedParts = Parts(shared);
        Assert.Equal(singleParts.Select(Path.GetFileName), sharedParts.Select(Path.GetFileName));
        for (var i = 0; i < singleParts.Length; i++)
        {
            Assert.Equal(File.ReadAllLines(singleParts[i]), File.ReadAllLines(sharedParts[i]));
        }

        var keys = sharedParts.SelectMany(BatchFixtures.Keys).ToList();
        Assert.Equal(ids, keys);
        Assert.Equal(3, Directory.EnumerateFiles(Path.Combine(shared, "_inferd"), "manifest-*-of-3.jsonl").Count());

        // Each worker wrote only its own shards: 15 shards, worker i took those with number % 3 == i.
        for (var i = 0; i < 3; i++)
        {
            var lines = File.ReadAllLines(Path.Combine(shared, "_inferd", $"manifest-{i}-of-3.jsonl"));
            var shards = lines.Where(l => l.Contains("\"shard\":{", StringComparison.Ordinal))
                .Select(l => int.Parse(l.Split("\"shard\":{\"shard\":")[1].Split(',')[0], CultureInfo.InvariantCulture)).ToArray();
            Assert.NotEmpty(shards);
            Assert.All(shards, s => Assert.Equal(i, s % 3));
        }
    }

    [Fact]
    public async Task RunAsync_JobCompletionIndexSet_TakesTheWorkerIndexFromIt()
    {
        using var temp = new TempDirectory();
        var repo = BatchFixtures.WriteRepository(temp.Path);
        var input = Path.Combine(temp.Path, "input");
        BatchFixtures.WriteCsv(input, files: 1, rowsPerFile: 4_000);
        var output = Path.Combine(temp.Path, "out");

        var run = await ExternalProcessWithEnvironment.RunAsync(
            new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1" },
            ["batch", "-m", BatchFixtures.Model, "-i", input, "-o", output, "--model-repository", repo, "--id-column", "id", "--shard-rows", "1000", "--shard-count", "2", "--progress", "none"]);

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Equal(["part-00001.csv", "part-00003.csv"], Directory.EnumerateFiles(output, "part-*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static string[] Parts(string folder) =>
        Directory.EnumerateFiles(folder, "part-*.csv").Order(StringComparer.Ordinal).ToArray();
}
