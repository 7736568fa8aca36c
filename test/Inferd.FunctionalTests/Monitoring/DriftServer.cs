using Inferd.FunctionalTests.Cli;
using Inferd.Testing;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>
/// The drift test models in a temporary repository, <c>loans</c> profiled by the real <c>inferd profile</c> on 2,000
/// baseline rows, then a real server over that repository.
/// </summary>
public sealed class DriftServer : IAsyncLifetime
{
    private readonly TempDirectory _repository = new();

    public InferdTestServer Server { get; private set; } = null!;

    public string Repository => _repository.Path;

    /// <summary>What <c>inferd profile</c> printed.</summary>
    public string ProfileOutput { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        DriftTestRepository.Write(_repository.Path);
        var data = Path.Combine(_repository.Path, "baseline.jsonl");
        await File.WriteAllTextAsync(data, DriftTestRepository.Jsonl(DriftTestRepository.Rows(seed: 1, count: 2_000)));
        var (exit, stdout, stderr) = await CliRunner.RunAsync("profile", "--model-repository", _repository.Path, "--model", DriftTestRepository.Model, "--data", data);
        Assert.True(exit == 0, $"inferd profile failed ({exit}): {stderr}");
        ProfileOutput = stdout;
        Server = await InferdTestServer.StartAsync(repository: _repository.Path);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _repository.Dispose();
    }
}
