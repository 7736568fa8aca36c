using Inferd.Abstractions.Tensors;
using Inferd.Testing;
using Inferd.Testing.Models;

namespace Inferd.FunctionalTests.Cli;

/// <summary>The inferd command line, run as a process.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Validate_GoodAndBrokenModels_PrintsConfigOrPreciseErrorAndExitCode1()
    {
        using var repo = new TempDirectory();
        ModelRepositoryBuilder.Add(repo.Path, "good", TestModels.AddSub(DataType.Int32, [-1, 16]));
        ModelRepositoryBuilder.Add(repo.Path, "mismatch", TestModels.AddSub(DataType.Int32, [-1, 16]), """{"max_batch_size": 8, "input": [{"name": "INPUT0", "dims": [15]}]}""");
        ModelRepositoryBuilder.Add(repo.Path, "garbage", [1, 2, 3]);

        var (exit, stdout, _) = await CliRunner.RunAsync("validate", repo.Path);

        Assert.Equal(1, exit);
        Assert.Contains("good (version 1): OK", stdout, StringComparison.Ordinal);
        Assert.Contains("\"max_batch_size\":4", stdout.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("mismatch (version 1): FAILED", stdout, StringComparison.Ordinal);
        Assert.Contains("config dims [15] do not match the model's [16]", stdout, StringComparison.Ordinal);
        Assert.Contains("garbage (version 1): FAILED", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(repo.Path, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DemoRepository_AllModelsLoad()
    {
        var samples = Path.Combine(ForeignClients.ExternalProcess.RepositoryRoot(), "samples", "model-repository");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("validate", samples, "--quiet");

        // Validate runs the server's pipeline backend, so the zoo's pipelines (built by eng/test.sh) load like the rest.
        Assert.True(exit == 0, stdout + stderr);
        Assert.DoesNotContain(": FAILED", stdout, StringComparison.Ordinal);
        foreach (var zoo in Inferd.Zoo.ZooModels.All.Where(m => File.Exists(Path.Combine(samples, m.Name, "1", "model.onnx"))))
        {
            Assert.Contains($"{zoo.Name} (version 1): OK", stdout, StringComparison.Ordinal);
        }

        Assert.Contains("simple (version 1): OK", stdout, StringComparison.Ordinal);
        Assert.Contains("mlp (version 1): OK", stdout, StringComparison.Ordinal);
        Assert.Contains("strings (version 1): OK", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--http-port", "70000", "--http-port must be between 0 and 65535")]
    [InlineData("--model-control-mode", "sometimes", "sometimes")]
    [InlineData("--exit-timeout-secs", "-1", "--exit-timeout-secs must not be negative")]
    public async Task Serve_BadOption_ExitsNonZeroWithThePreciseProblem(string option, string value, string expected)
    {
        using var repo = new TempDirectory();

        var (exit, stdout, stderr) = await CliRunner.RunAsync("serve", "--model-repository", repo.Path, option, value);

        Assert.NotEqual(0, exit);
        Assert.Contains(expected, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MissingRepository_ExitsWithClearMessage()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("serve", "--model-repository", "/nonexistent/inferd-repo");

        Assert.Equal(2, exit);
        Assert.Contains("does not exist", stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve", "--model-control-mode")]
    [InlineData("validate", "repository")]
    public async Task Help_EveryCommand_DescribesItsOptions(string command, string expected)
    {
        var (exit, stdout, _) = await CliRunner.RunAsync(command, "--help");

        Assert.Equal(0, exit);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_PortAlreadyInUse_OneLineErrorAndCleanExitWhileModelsLoad()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var samples = Path.Combine(ForeignClients.ExternalProcess.RepositoryRoot(), "samples", "model-repository");

        // Models start loading in the background before the port is bound; the failed start must stop that
        // loading cleanly (it used to end in a segmentation fault, exit code 139).
        var (exit, _, stderr) = await CliRunner.RunAsync("serve", "--model-repository", samples, "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--grpc-port", "0");

        Assert.Equal(1, exit);
        Assert.Contains("address already in use", stderr, StringComparison.Ordinal);
    }
}
