using Inferd.FunctionalTests.Cli;
using Inferd.Testing;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Batch;

/// <summary>
/// <c>inferd batch --server</c> sends the same requests to a running server (real Kestrel on loopback) over REST or
/// gRPC; the output equals the in-process run's byte for byte.
/// </summary>
public sealed class BatchRemoteTests
{
    [Theory]
    [InlineData("http")]
    [InlineData("grpc")]
    public async Task RunAsync_AgainstServer_EqualsInProcessOutput(string protocol)
    {
        using var temp = new TempDirectory();
        var repo = BatchFixtures.WriteRepository(temp.Path);
        var input = Path.Combine(temp.Path, "input");
        BatchFixtures.WriteCsv(input, files: 2, rowsPerFile: 1_500);
        string[] common = ["batch", "-m", BatchFixtures.Model, "-i", input, "--id-column", "id", "--shard-rows", "1000", "--progress", "none"];
        var local = Path.Combine(temp.Path, "local.csv");
        var inProcess = await CliRunner.RunAsync([.. common, "-o", local, "--model-repository", repo]);
        Assert.True(inProcess.ExitCode == 0, inProcess.StdErr);

        await using var server = await InferdTestServer.StartAsync(repository: repo);
        var url = protocol == "grpc" ? server.Info.GrpcAddress.ToString().Replace("http://", "grpc://", StringComparison.Ordinal) : server.Info.HttpAddress.ToString();
        var remote = Path.Combine(temp.Path, "remote.csv");
        var run = await CliRunner.RunAsync([.. common, "-o", remote, "--server", "--url", url]);

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Equal(File.ReadAllBytes(local), File.ReadAllBytes(remote));
        Assert.Contains("rows out 3,000", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BothRepositoryAndServer_IsUsageError()
    {
        var run = await CliRunner.RunAsync("batch", "-m", "x", "-i", "in.csv", "-o", "out.csv", "--model-repository", "models", "--server");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("either --model-repository DIR", run.StdErr, StringComparison.Ordinal);
    }
}
