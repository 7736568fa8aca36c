using System.Globalization;
using System.Net;
using System.Text.Json;
using Inferd.FunctionalTests.Batch;
using Inferd.Testing;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Jobs;

/// <summary>
/// A real server with the job API on: a temp root holding the model repository (<c>mlp</c>, 4 features → 3 scores)
/// and the data folder. <see cref="RestartAsync"/> stops it and starts a new one on the same folders and database.
/// </summary>
internal sealed class JobServer : IAsyncDisposable
{
    private readonly TempDirectory _root = new();
    private readonly string _repository;

    private JobServer()
    {
        _repository = BatchFixtures.WriteRepository(_root.Path);
        DataDirectory = Path.Combine(_root.Path, "data");
        Directory.CreateDirectory(DataDirectory);
    }

    public InferdTestServer Server { get; private set; } = null!;

    public string DataDirectory { get; }

    public static async Task<JobServer> StartAsync()
    {
        var server = new JobServer();
        server.Server = await server.StartServerAsync();
        return server;
    }

    /// <summary>
    /// Disposes the server (as a stop would: running jobs go back to the queue), asserts it logged no error, and
    /// starts a new one on the same folders.
    /// </summary>
    public async Task RestartAsync()
    {
        await Server.DisposeAsync();
        Assert.Empty(Server.Errors);
        Server = await StartServerAsync();
    }

    /// <summary>Writes CSV files (columns id, a, b, c, d) into a data-folder subfolder; returns the ids in order.</summary>
    public List<string> WriteCsv(string folder, int files, int rowsPerFile) =>
        BatchFixtures.WriteCsv(Path.Combine(DataDirectory, folder), files, rowsPerFile);

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        var request = json is null ? new HttpRequestMessage(method, path) : RestHelpers.Json(path, json, method);
        var (status, body, contentType) = await RestHelpers.SendAsync(Server, request);
        Assert.Equal("application/json", contentType);
        using var document = JsonDocument.Parse(body);
        return (status, document.RootElement.Clone());
    }

    /// <summary>Submits a job; asserts 201 and returns it.</summary>
    public async Task<JsonElement> SubmitAsync(string json)
    {
        var (status, job) = await SendAsync(HttpMethod.Post, "/v2/inferd/jobs", json);
        Assert.True(status == HttpStatusCode.Created, $"expected 201, got {(int)status}: {job}");
        return job;
    }

    /// <summary>Polls the job until it is in one of <paramref name="states"/>; fails after the default test timeout.</summary>
    public async Task<JsonElement> WaitForAsync(string id, params string[] states)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            var (status, job) = await SendAsync(HttpMethod.Get, "/v2/inferd/jobs/" + id);
            Assert.Equal(HttpStatusCode.OK, status);
            var state = job.GetProperty("state").GetString();
            if (states.Contains(state))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} is still {state} after {TestTimeouts.Default}: {job}");
            // A short pause between polls: the job runs on the server's own workers, nothing here can signal it.
            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }
    }

    /// <summary>The row keys (first column) of every part file of a folder output, in part order.</summary>
    public List<string> PartKeys(string output) =>
        Directory.EnumerateFiles(Path.Combine(DataDirectory, output), "part-*.csv")
            .Order(StringComparer.Ordinal)
            .SelectMany(BatchFixtures.Keys)
            .ToList();

    public static string Job(string input, string output, string extra = "") => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"model": "{{BatchFixtures.Model}}", "input": "{{input}}", "output": "{{output}}", "id_column": "id"{{extra}}}""");

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _root.Dispose();
    }

    private Task<InferdTestServer> StartServerAsync() =>
        InferdTestServer.StartAsync(repository: _repository, configure: o => o with { DataDirectory = DataDirectory });
}
