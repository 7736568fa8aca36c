using System.Net;
using Inferd.FunctionalTests.Batch;

namespace Inferd.FunctionalTests.Jobs;

/// <summary>Jobs survive a server restart: past jobs are listed, interrupted and queued ones resume and finish.</summary>
public sealed class JobRestartTests
{
    [Fact]
    public async Task Restart_WhileJobRunsAndAnotherIsQueued_BothCompleteWithEachKeyOnce()
    {
        await using var server = await JobServer.StartAsync();
        var bigIds = server.WriteCsv("big", files: 4, rowsPerFile: 50_000);
        var smallIds = server.WriteCsv("small", files: 1, rowsPerFile: 100);
        var done = (await server.SubmitAsync(JobServer.Job("small/part0.csv", "out/done.csv"))).GetProperty("id").GetString()!;
        await server.WaitForAsync(done, "completed");
        var big = (await server.SubmitAsync(JobServer.Job("big", "out/big", """, "shard_rows": 2000"""))).GetProperty("id").GetString()!;
        var queued = (await server.SubmitAsync(JobServer.Job("small/part0.csv", "out/later.csv"))).GetProperty("id").GetString()!;
        // 200,000 rows take seconds; polling sees the job running within milliseconds of its start.
        var bigBeforeStop = await server.WaitForAsync(big, "running", "completed");
        var (_, beforeStop) = await server.SendAsync(HttpMethod.Get, "/v2/inferd/jobs/" + queued);

        await server.RestartAsync();
        var (listStatus, list) = await server.SendAsync(HttpMethod.Get, "/v2/inferd/jobs");
        var bigJob = await server.WaitForAsync(big, "completed", "failed");
        var queuedJob = await server.WaitForAsync(queued, "completed", "failed");

        // The one worker was busy with the large job, so the small one was still waiting when the server stopped.
        Assert.Equal("running", bigBeforeStop.GetProperty("state").GetString());
        Assert.Equal("queued", beforeStop.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal([queued, big, done], list.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        Assert.True(bigJob.GetProperty("state").GetString() == "completed", bigJob.ToString());
        Assert.Equal("completed", queuedJob.GetProperty("state").GetString());
        Assert.Equal(200_000L, bigJob.GetProperty("rows_out").GetInt64());
        Assert.Equal(bigIds, server.PartKeys("out/big"));
        Assert.Equal(smallIds, BatchFixtures.Keys(Path.Combine(server.DataDirectory, "out", "later.csv")));
        Assert.Empty(server.Server.Errors);
    }
}
