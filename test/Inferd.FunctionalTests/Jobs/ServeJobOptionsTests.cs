using Inferd.FunctionalTests.Cli;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Jobs;

/// <summary><c>inferd serve</c>'s job flags: described in help, refused with the precise problem when wrong.</summary>
public sealed class ServeJobOptionsTests
{
    [Fact]
    public async Task Help_Serve_DescribesJobFlags()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("serve", "--help");

        Assert.Equal(0, exit);
        foreach (var flag in new[] { "--data-dir", "--jobs-db", "--max-concurrent-jobs", "--schedule-min-file-age-secs" })
        {
            Assert.Contains(flag, stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "--data-dir", "/nonexistent/inferd-data" }, "the data folder does not exist")]
    [InlineData(new[] { "--jobs-db", "jobs.db" }, "--jobs-db needs --data-dir")]
    [InlineData(new[] { "--data-dir", ".", "--max-concurrent-jobs", "0" }, "--max-concurrent-jobs must be between 1 and 64")]
    [InlineData(new[] { "--data-dir", ".", "--schedule-min-file-age-secs", "-1" }, "--schedule-min-file-age-secs must not be negative")]
    public async Task Serve_BadJobOption_ExitsWithUsageErrorNamingTheProblem(string[] options, string expected)
    {
        using var repo = new TempDirectory();

        var (exit, stdout, stderr) = await CliRunner.RunAsync(["serve", "--model-repository", repo.Path, .. options]);

        Assert.Equal(2, exit);
        Assert.Contains(expected, stdout + stderr, StringComparison.Ordinal);
    }
}
