using Inferd.FunctionalTests.ForeignClients;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Zoo;

/// <summary>
/// One real server over the bundled repository with the zoo built into it (eng/test.sh runs <c>inferd zoo build</c>
/// first; without it the zoo tests skip, saying so).
/// </summary>
public sealed class ZooServer : IAsyncLifetime
{
    private static readonly string[] Models = ["spam", "house-prices", "wages", "sensor-anomaly", "minilm", "resnet18", "text-orientation"];

    public static string Repository => Path.Combine(ExternalProcess.RepositoryRoot(), "samples", "model-repository");

    public InferdTestServer? Server { get; private set; }

    public string? Missing { get; private set; }

    public InferdTestServer Require()
    {
        if (Missing is not null)
        {
            Assert.Skip($"the zoo is not built ({Missing} is missing); run ./inferd zoo build");
        }

        return Server!;
    }

    public async ValueTask InitializeAsync()
    {
        Missing = Models.Select(m => Path.Combine(m, "1", "model.onnx")).FirstOrDefault(f => !File.Exists(Path.Combine(Repository, f)));
        if (Missing is null)
        {
            Server = await InferdTestServer.StartAsync(repository: Repository);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
