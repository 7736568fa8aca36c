using Inferd.FunctionalTests.Cli;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Batch;

/// <summary>Bad rows go to the error file with their key and reason; the job goes on; --max-errors stops it.</summary>
public sealed class BatchErrorFileTests
{
    private const string Input = """
        {"id": "ok-1", "X": [1, 2, 3, 4]}
        {"id": "short", "X": [1, 2, 3]}
        {"id": "text", "X": [1, "two", 3, 4]}
        this line is not json
        {"id": "ok-2", "X": [0.5, 0.25, 0, -1]}
        {"id": "no-features"}
        [1, 2, 3]
        {"id": "ok-3", "X": [4, 3, 2, 1]}
        {"id": null, "X": [1, 1, 1, 1]}
        """;

    [Fact]
    public async Task RunAsync_BadRows_GoToErrorFileWithKeyAndReason()
    {
        using var temp = new TempDirectory();
        var repo = BatchFixtures.WriteRepository(temp.Path);
        var input = Path.Combine(temp.Path, "rows.jsonl");
        File.WriteAllText(input, Input);
        var output = Path.Combine(temp.Path, "scores.jsonl");

        var run = await CliRunner.RunAsync("batch", "-m", BatchFixtures.Model, "-i", input, "-o", output, "--model-repository", repo, "--id-column", "id", "--progress", "none");

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("rows in 9, rows out 3, errors 6", run.StdOut, StringComparison.Ordinal);
        var scored = File.ReadAllLines(output);
        Assert.Equal(["ok-1", "ok-2", "ok-3"], scored.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
        Assert.All(scored, l => Assert.Equal(3, System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("Y").GetArrayLength()));

        var errors = File.ReadAllLines(Path.Combine(temp.Path, "scores.errors.jsonl"))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("row").GetInt64(), e => (Key: e.TryGetProperty("key", out var k) ? k.GetString() : null, Error: e.GetProperty("error").GetString()!));
        Assert.Equal([2L, 3, 4, 6, 7, 9], errors.Keys.Order());
        Assert.Equal("short", errors[2].Key);
        Assert.Contains("holds 3 values; input 'X' takes 4", errors[2].Error, StringComparison.Ordinal);
        Assert.Contains("'two' is not a number", errors[3].Error, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", errors[4].Error, StringComparison.Ordinal);
        Assert.Contains("column 'X': missing", errors[6].Error, StringComparison.Ordinal);
        Assert.Contains("not an object", errors[7].Error, StringComparison.Ordinal);
        Assert.Contains("id column 'id' is empty", errors[9].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MoreErrorsThanMaxErrors_StopsWithClearMessage()
    {
        using var temp = new TempDirectory();
        var repo = BatchFixtures.WriteRepository(temp.Path);
        var input = Path.Combine(temp.Path, "rows.jsonl");
        File.WriteAllText(input, Input);
        var output = Path.Combine(temp.Path, "scores.jsonl");

        var run = await CliRunner.RunAsync("batch", "-m", BatchFixtures.Model, "-i", input, "-o", output, "--model-repository", repo, "--id-column", "id", "--max-errors", "5", "--progress", "none");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("6 rows failed, more than --max-errors 5", run.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        var within = await CliRunner.RunAsync("batch", "-m", BatchFixtures.Model, "-i", input, "-o", output, "--model-repository", repo, "--id-column", "id", "--max-errors", "6", "--progress", "none");
        Assert.True(within.ExitCode == 0, within.StdErr);
    }

    [Fact]
    public async Task RunAsync_MappingDoesNotFitModel_FailsBeforeScoringWithMessage()
    {
        using var temp = new TempDirectory();
        var repo = BatchFixtures.WriteRepository(temp.Path);
        var input = Path.Combine(temp.Path, "input");
        BatchFixtures.WriteCsv(input, files: 1, rowsPerFile: 10);

        var run = await CliRunner.RunAsync("batch", "-m", BatchFixtures.Model, "-i", input, "-o", Path.Combine(temp.Path, "o.csv"), "--model-repository", repo, "--input-map", "X=a,b", "--progress", "none");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("input 'X' takes 4 values per row (shape [4]), but 2 columns map to it (a, b)", run.StdErr, StringComparison.Ordinal);
    }
}
