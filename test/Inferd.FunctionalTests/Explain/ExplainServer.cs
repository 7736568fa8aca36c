using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Explain;

/// <summary>A real server over <c>lin</c> (linear over named fields) and <c>mlp12</c>, each with its background file.</summary>
public sealed class ExplainServer : IAsyncLifetime
{
    private readonly TempDirectory _repository = new();

    public InferdTestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        WriteRepository(_repository.Path);
        Server = await InferdTestServer.StartAsync(repository: _repository.Path);
    }

    /// <summary>Writes both models with their background files into <paramref name="root"/>.</summary>
    public static void WriteRepository(string root)
    {
        Write(root, "lin", ExplainTestModels.LinearConfig, ExplainTestModels.LinearFields(), ExplainTestModels.BackgroundJsonl(ExplainTestModels.BackgroundRows()));
        Write(root, "mlp12", ExplainTestModels.MlpConfig, TestModels.Mlp(12, 16, 1, seed: 3), ExplainTestModels.MlpBackground());
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _repository.Dispose();
    }

    /// <summary>Asserts that a prediction of <c>lin</c> still succeeds.</summary>
    public static async Task AssertStillServesAsync(InferdTestServer server)
    {
        var answer = await RestHelpers.SendAsync(server, RestHelpers.Json("/v1/models/lin:predict", """{"instances": [{"a": 1, "b": 2, "c": 3}]}"""));
        Assert.True(answer.Status == System.Net.HttpStatusCode.OK, answer.Body);
    }

    private static void Write(string root, string name, string config, byte[] model, string background)
    {
        var directory = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(directory, "1"));
        File.WriteAllText(Path.Combine(directory, "config.json"), config);
        File.WriteAllBytes(Path.Combine(directory, "1", "model.onnx"), model);
        File.WriteAllText(Path.Combine(directory, "background.jsonl"), background);
    }
}
