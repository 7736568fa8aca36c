using System.Net;
using Inferd.FunctionalTests.Batch;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Jobs;

/// <summary>The job API on a real server: submit, read, list and cancel jobs over files in the data folder.</summary>
public sealed class JobEndpointTests : IAsyncLifetime
{
    private JobServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await JobServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Post_CsvInputToCsvFile_CompletesWithEveryRowOnce()
    {
        var ids = _server.WriteCsv("in", files: 1, rowsPerFile: 500);

        var (status, submitted) = await _server.SendAsync(HttpMethod.Post, "/v2/inferd/jobs", JobServer.Job("in/part0.csv", "out/scores.csv", """, "shard_rows": 128"""));
        Assert.Equal(HttpStatusCode.Created, status);
        var id = submitted.GetProperty("id").GetString()!;
        var job = await _server.WaitForAsync(id, "completed", "failed");

        Assert.Equal(("queued", "in/part0.csv", "out/scores.csv"), (submitted.GetProperty("state").GetString(), submitted.GetProperty("input").GetString(), submitted.GetProperty("output").GetString()));
        Assert.True(job.GetProperty("state").GetString() == "completed", job.ToString());
        Assert.Equal((500L, 500L, 0L, 1.0), (job.GetProperty("rows_in").GetInt64(), job.GetProperty("rows_out").GetInt64(), job.GetProperty("errors").GetInt64(), job.GetProperty("progress").GetDouble()));
        Assert.NotNull(job.GetProperty("finished").GetString());
        Assert.Equal(ids, BatchFixtures.Keys(Path.Combine(_server.DataDirectory, "out", "scores.csv")));
        Assert.Empty(_server.Server.Errors);
    }

    [Fact]
    public async Task Post_FolderInputToFolder_WritesPartsAndListsJobNewestFirst()
    {
        var ids = _server.WriteCsv("batch", files: 2, rowsPerFile: 300);
        var first = await _server.SubmitAsync(JobServer.Job("batch", "results/run1", """, "shard_rows": 200, "batch_size": 32"""));
        var second = await _server.SubmitAsync(JobServer.Job("batch", "results/run2"));

        await _server.WaitForAsync(first.GetProperty("id").GetString()!, "completed");
        await _server.WaitForAsync(second.GetProperty("id").GetString()!, "completed");
        var (status, list) = await _server.SendAsync(HttpMethod.Get, "/v2/inferd/jobs?state=completed&limit=10");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(ids, _server.PartKeys("results/run1"));
        Assert.Equal(
            [second.GetProperty("id").GetString(), first.GetProperty("id").GetString()],
            list.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("../secret.csv", "out", "'..'")]
    [InlineData("in/x/../../../secret.csv", "out", "'..'")]
    [InlineData("/etc/passwd", "out", "absolute")]
    [InlineData("in/part0.csv", "/tmp/stolen", "absolute")]
    [InlineData("in\\\\part0.csv", "out", "backslash")]
    [InlineData("in/part0.csv", "in", "inside the output")]
    [InlineData("in", "in/out", "inside the input")]
    [InlineData("in/missing.csv", "out", "does not exist")]
    [InlineData(".inferd/jobs.db", "out", "server's own files")]
    public async Task Post_PathOutsideOrOverlapping_Answers400(string input, string output, string reason)
    {
        _server.WriteCsv("in", files: 1, rowsPerFile: 1);

        var answer = await RestHelpers.SendAsync(_server.Server, RestHelpers.Json("/v2/inferd/jobs", JobServer.Job(input, output)));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task Post_InputThroughLinkToOutsideFolder_Answers400()
    {
        using var outside = new TempDirectory();
        BatchFixtures.WriteCsv(outside.Path, files: 1, rowsPerFile: 1);
        Directory.CreateSymbolicLink(Path.Combine(_server.DataDirectory, "linked"), outside.Path);

        var answer = await RestHelpers.SendAsync(_server.Server, RestHelpers.Json("/v2/inferd/jobs", JobServer.Job("linked/part0.csv", "out")));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, "outside the data folder");
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("""{"input": "in/part0.csv", "output": "out"}""", "'model' is required")]
    [InlineData("""{"model": "mlp", "input": "in/part0.csv", "output": "out", "ouput_map": {}}""", "unknown field 'ouput_map'")]
    [InlineData("""{"model": "mlp", "input": "in/part0.csv", "output": "out", "shard_rows": "10"}""", "'shard_rows' must be an integer")]
    [InlineData("""{"model": "mlp", "input": "in/part0.csv", "output": "out", "shard_rows": 0}""", "shard_rows")]
    [InlineData("""{"model": "mlp", "input": "in/part0.csv", "output": "out", "input_map": {"X": [1]}}""", "column names")]
    public async Task Post_BadBody_Answers400(string body, string reason)
    {
        _server.WriteCsv("in", files: 1, rowsPerFile: 1);

        var answer = await RestHelpers.SendAsync(_server.Server, RestHelpers.Json("/v2/inferd/jobs", body));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task Post_UnknownModel_Answers404()
    {
        _server.WriteCsv("in", files: 1, rowsPerFile: 1);

        var answer = await RestHelpers.SendAsync(_server.Server, RestHelpers.Json("/v2/inferd/jobs", """{"model": "nope", "input": "in/part0.csv", "output": "out"}"""));

        RestHelpers.AssertError(answer, HttpStatusCode.NotFound, "nope");
    }

    [Fact]
    public async Task Post_MappingThatDoesNotFitModel_JobFailsWithReason()
    {
        _server.WriteCsv("in", files: 1, rowsPerFile: 10);

        var job = await _server.SubmitAsync(JobServer.Job("in/part0.csv", "out/bad.csv", """, "input_map": {"X": ["a", "b"]}"""));
        var failed = await _server.WaitForAsync(job.GetProperty("id").GetString()!, "failed", "completed");

        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Contains("X", failed.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_server.DataDirectory, failed.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v2/inferd/jobs/0000000000000000")]
    [InlineData("/v2/inferd/jobs/not-an-id")]
    public async Task Get_UnknownId_Answers404(string path)
    {
        var answer = await RestHelpers.SendAsync(_server.Server, new HttpRequestMessage(HttpMethod.Get, path));

        RestHelpers.AssertError(answer, HttpStatusCode.NotFound, "no job");
    }

    [Theory]
    [InlineData("/v2/inferd/jobs?state=done", "state")]
    [InlineData("/v2/inferd/jobs?limit=0", "limit")]
    [InlineData("/v2/inferd/jobs?limit=many", "limit")]
    public async Task Get_BadListQuery_Answers400(string path, string reason)
    {
        var answer = await RestHelpers.SendAsync(_server.Server, new HttpRequestMessage(HttpMethod.Get, path));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task Delete_Jobs_Answers405WithAllow()
    {
        using var response = await _server.Server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/v2/inferd/jobs")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST", "GET"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Cancel_QueuedThenRunningJob_BothCancelledAndSecondCancelIs409()
    {
        // One worker: the large job runs, the small one waits behind it.
        _server.WriteCsv("big", files: 4, rowsPerFile: 50_000);
        _server.WriteCsv("small", files: 1, rowsPerFile: 10);
        var big = (await _server.SubmitAsync(JobServer.Job("big", "out/big", """, "shard_rows": 2000"""))).GetProperty("id").GetString()!;
        var small = (await _server.SubmitAsync(JobServer.Job("small/part0.csv", "out/small.csv"))).GetProperty("id").GetString()!;

        var (smallStatus, smallJob) = await _server.SendAsync(HttpMethod.Post, $"/v2/inferd/jobs/{small}/cancel");
        var (bigStatus, _) = await _server.SendAsync(HttpMethod.Post, $"/v2/inferd/jobs/{big}/cancel");
        var bigJob = await _server.WaitForAsync(big, "cancelled", "completed", "failed");
        var again = await RestHelpers.SendAsync(_server.Server, new HttpRequestMessage(HttpMethod.Post, $"/v2/inferd/jobs/{small}/cancel"));

        Assert.Equal((HttpStatusCode.OK, "cancelled"), (smallStatus, smallJob.GetProperty("state").GetString()));
        Assert.Equal(HttpStatusCode.OK, bigStatus);
        Assert.Equal("cancelled", bigJob.GetProperty("state").GetString());
        Assert.True(bigJob.GetProperty("rows_out").GetInt64() < 200_000);
        Assert.False(File.Exists(Path.Combine(_server.DataDirectory, "out", "small.csv")));
        RestHelpers.AssertError(again, HttpStatusCode.Conflict, "cancelled");
        Assert.Empty(_server.Server.Errors);
    }
}
