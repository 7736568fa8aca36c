using System.Net;
using System.Text.Json;
using Inferd.FunctionalTests.Batch;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Jobs;

/// <summary>Schedules on a real server: each run scores exactly the files that arrived since the last one.</summary>
public sealed class ScheduleEndpointTests : IAsyncLifetime
{
    private const string Schedule = """
        {"name": "hourly", "model": "mlp", "input": "incoming", "output": "results", "id_column": "id", "interval_seconds": 3600}
        """;

    private JobServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await JobServer.StartAsync();
        Directory.CreateDirectory(Path.Combine(_server.DataDirectory, "incoming"));
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Run_TwoFilesThenAThird_EachJobScoresOnlyNewFiles()
    {
        var (created, schedule) = await _server.SendAsync(HttpMethod.Post, "/v2/inferd/schedules", Schedule);
        var first = Drop("a", 30).Concat(Drop("b", 20)).ToList();

        var job1 = await RunAsync();
        var done1 = await _server.WaitForAsync(job1.GetProperty("id").GetString()!, "completed", "failed");
        var third = Drop("c", 10);
        var job2 = await RunAsync();
        var done2 = await _server.WaitForAsync(job2.GetProperty("id").GetString()!, "completed", "failed");
        var (nothingStatus, nothing) = await _server.SendAsync(HttpMethod.Post, "/v2/inferd/schedules/hourly/run");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(3600, schedule.GetProperty("interval_seconds").GetInt64());
        Assert.True(done1.GetProperty("state").GetString() == "completed", done1.ToString());
        Assert.Equal(("hourly", "incoming"), (done1.GetProperty("schedule").GetString(), done1.GetProperty("input").GetString()));
        Assert.StartsWith("results/", done1.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("-" + done1.GetProperty("id").GetString(), done1.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal(first.Order(StringComparer.Ordinal), _server.PartKeys(done1.GetProperty("output").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal("completed", done2.GetProperty("state").GetString());
        Assert.Equal(third, _server.PartKeys(done2.GetProperty("output").GetString()!));
        Assert.Equal((HttpStatusCode.OK, JsonValueKind.Null), (nothingStatus, nothing.GetProperty("job").ValueKind));
        Assert.Empty(_server.Server.Errors);
    }

    [Fact]
    public async Task PostGetListDelete_Schedule_RoundTrips()
    {
        var (created, _) = await _server.SendAsync(HttpMethod.Post, "/v2/inferd/schedules", Schedule.Replace("\"interval_seconds\": 3600", "\"cron\": \"*/15 * * * *\"", StringComparison.Ordinal));
        var (getStatus, got) = await _server.SendAsync(HttpMethod.Get, "/v2/inferd/schedules/hourly");
        var (listStatus, list) = await _server.SendAsync(HttpMethod.Get, "/v2/inferd/schedules");
        var (deleteStatus, _) = await _server.SendAsync(HttpMethod.Delete, "/v2/inferd/schedules/hourly");
        var gone = await RestHelpers.SendAsync(_server.Server, new HttpRequestMessage(HttpMethod.Get, "/v2/inferd/schedules/hourly"));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (created, getStatus, listStatus, deleteStatus));
        Assert.Equal(("*/15 * * * *", JsonValueKind.Null), (got.GetProperty("cron").GetString(), got.GetProperty("interval_seconds").ValueKind));
        Assert.Equal(0, DateTimeOffset.Parse(got.GetProperty("next_run").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Minute % 15);
        Assert.Equal(["hourly"], list.GetProperty("schedules").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        RestHelpers.AssertError(gone, HttpStatusCode.NotFound, "no schedule");
    }

    [Theory]
    [InlineData("\"interval_seconds\": 3600", "\"interval_seconds\": 60, \"cron\": \"* * * * *\"", HttpStatusCode.BadRequest, "exactly one")]
    [InlineData("\"interval_seconds\": 3600", "\"cron\": \"every hour\"", HttpStatusCode.BadRequest, "cron")]
    [InlineData("\"output\": \"results\"", "\"output\": \"incoming/results\"", HttpStatusCode.BadRequest, "inside the input")]
    [InlineData("\"input\": \"incoming\"", "\"input\": \"../incoming\"", HttpStatusCode.BadRequest, "'..'")]
    [InlineData("\"model\": \"mlp\"", "\"model\": \"nope\"", HttpStatusCode.NotFound, "nope")]
    public async Task Post_BadSchedule_AnswersError(string field, string replacement, HttpStatusCode status, string reason)
    {
        var answer = await RestHelpers.SendAsync(_server.Server, RestHelpers.Json("/v2/inferd/schedules", Schedule.Replace(field, replacement, StringComparison.Ordinal)));

        RestHelpers.AssertError(answer, status, reason);
    }

    [Fact]
    public async Task Post_SameNameTwice_Answers409()
    {
        await _server.SendAsync(HttpMethod.Post, "/v2/inferd/schedules", Schedule);

        var answer = await RestHelpers.SendAsync(_server.Server, RestHelpers.Json("/v2/inferd/schedules", Schedule));

        RestHelpers.AssertError(answer, HttpStatusCode.Conflict, "exists");
    }

    [Fact]
    public async Task Run_UnknownSchedule_Answers404()
    {
        var answer = await RestHelpers.SendAsync(_server.Server, new HttpRequestMessage(HttpMethod.Post, "/v2/inferd/schedules/nope/run"));

        RestHelpers.AssertError(answer, HttpStatusCode.NotFound, "no schedule");
    }

    private async Task<JsonElement> RunAsync()
    {
        var (status, run) = await _server.SendAsync(HttpMethod.Post, "/v2/inferd/schedules/hourly/run");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Object, run.GetProperty("job").ValueKind);
        return run.GetProperty("job");
    }

    /// <summary>Writes incoming/NAME.csv, dated a minute back so the schedule's settle time has passed; returns its ids.</summary>
    private List<string> Drop(string name, int rows)
    {
        using var staging = new TempDirectory();
        var ids = BatchFixtures.WriteCsv(staging.Path, files: 1, rowsPerFile: rows).Select(id => name + "-" + id).ToList();
        var lines = File.ReadAllLines(Path.Combine(staging.Path, "part0.csv"));
        var renamed = lines.Take(1).Concat(lines.Skip(1).Select(l => name + "-" + l));
        var path = Path.Combine(_server.DataDirectory, "incoming", name + ".csv");
        File.WriteAllLines(path, renamed);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));
        return ids;
    }
}
