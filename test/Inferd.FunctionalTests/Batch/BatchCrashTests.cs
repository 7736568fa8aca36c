using System.Globalization;
using Inferd.FunctionalTests.Cli;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Batch;

/// <summary>
/// Exactly-once output under crashes (bad-inputs.md T12): a 100,000-row job over 8 files is killed with SIGKILL at
/// five seeded points and restarted each time with the same command; the final output must equal an uninterrupted
/// run's byte for byte, hold every key once, and list the one poison row once in the error file.
/// </summary>
public sealed class BatchCrashTests
{
    [Fact]
    public async Task RunAsync_KilledFiveTimesAndResumed_OutputEqualsUninterruptedRun()
    {
        using var temp = new TempDirectory();
        var repo = BatchFixtures.WriteRepository(temp.Path);
        var input = Path.Combine(temp.Path, "input");
        var ids = BatchFixtures.WriteCsv(input, files: 8, rowsPerFile: 12_500, poisonRow: 777);
        Assert.Equal(100_000, ids.Count);
        string[] Args(string output) =>
            ["batch", "-m", BatchFixtures.Model, "-i", input, "-o", output, "--model-repository", repo, "--id-column", "id",
             "--shard-rows", "2000", "--batch-size", "16", "--progress", "lines", "--progress-interval", "0.02"];

        var reference = Path.Combine(temp.Path, "reference.csv");
        var (exit, _, stderr) = await CliRunner.RunAsync(Args(reference));
        Assert.True(exit == 0, stderr);

        var output = Path.Combine(temp.Path, "resumed.csv");
        var random = new Random(2026);
        // Each run is killed after scoring 3,000 to 12,000 rows of its own: five runs cannot finish the 100,000.
        var targets = Enumerable.Range(0, 5).Select(_ => (long)random.Next(3_000, 12_000)).ToArray();
        var kills = 0;
        foreach (var target in targets)
        {
            var run = await KillableCli.RunAsync(Args(output), target);
            Assert.True(run.Killed, $"the run ended before scoring {target} rows: exit {run.ExitCode}\n{run.StdErr}");
            kills++;

            // Whatever the kill interrupted, every visible part is whole: only the hidden temporaries may be torn.
            foreach (var part in Directory.EnumerateFiles(output + ".inferd", "part-*"))
            {
                var bytes = File.ReadAllBytes(part);
                Assert.True(bytes.Length > 0 && bytes[^1] == (byte)'\n', $"{part} is torn");
            }

            Assert.False(File.Exists(output), "the merged output appeared before the job completed");
        }

        var final = await KillableCli.RunAsync(Args(output), killAfterRows: null);
        Assert.True(final.ExitCode == 0, final.StdErr);
        Assert.Equal(5, kills);

        Assert.Equal(File.ReadAllBytes(reference), File.ReadAllBytes(output));
        var keys = BatchFixtures.Keys(output);
        Assert.Equal(ids.Count - 1, keys.Count);
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids.Where(id => id != "f0-r777").Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        var errors = File.ReadAllLines(Path.Combine(temp.Path, "resumed.errors.jsonl"));
        var error = Assert.Single(errors);
        Assert.Contains("\"key\":\"f0-r777\"", error, StringComparison.Ordinal);
        Assert.Contains("poison", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(temp.Path, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(["manifest.jsonl"], Directory.EnumerateFiles(output + ".inferd").Select(Path.GetFileName));
    }

    [Fact]
    public async Task RunAsync_CorruptCommittedPart_IsRedoneNotMerged()
    {
        using var temp = new TempDirectory();
        var repo = BatchFixtures.WriteRepository(temp.Path);
        var input = Path.Combine(temp.Path, "input");
        BatchFixtures.WriteCsv(input, files: 1, rowsPerFile: 5_000);
        var output = Path.Combine(temp.Path, "out");
        string[] args = ["batch", "-m", BatchFixtures.Model, "-i", input, "-o", output, "--model-repository", repo, "--id-column", "id", "--shard-rows", "1000", "--progress", "none"];
        var first = await CliRunner.RunAsync(args);
        Assert.True(first.ExitCode == 0, first.StdErr);
        var part = Path.Combine(output, "part-00002.csv");
        var original = File.ReadAllBytes(part);
        File.WriteAllBytes(part, original[..(original.Length / 2)]); // A torn copy, as a crashed copy tool would leave.

        var second = await CliRunner.RunAsync(args);

        Assert.True(second.ExitCode == 0, second.StdErr);
        Assert.Contains("1 redone", second.StdOut, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(part));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"rows in 1,000,"), second.StdOut, StringComparison.Ordinal);
    }
}
