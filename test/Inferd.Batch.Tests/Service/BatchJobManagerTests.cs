using Inferd.Batch.Jobs;
using Inferd.Batch.Service;
using Inferd.Testing;

namespace Inferd.Batch.Tests.Service;

/// <summary>Submission checks, listing and cancellation of queued jobs (the manager is not started, so nothing runs).</summary>
public sealed class BatchJobManagerTests : IAsyncLifetime
{
    private JobServiceFixture _fixture = null!;

    private BatchJobManager Manager => _fixture.Manager;

    public async ValueTask InitializeAsync()
    {
        _fixture = await JobServiceFixture.CreateAsync();
        _fixture.Write("in/a.csv", "id,f0,f1,f2,f3\n1,0,0,0,0\n");
    }

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public void Submit_GoodRequest_StoresQueuedJobWithRelativePaths()
    {
        var job = Manager.Submit(Request() with { Input = "./in/a.csv", Output = "out//a" });

        Assert.Equal((JobState.Queued, "in/a.csv", "out/a", _fixture.Time.GetUtcNow()), (job.State, job.Input, job.Output, job.Created));
        Assert.Equal(job, Manager.Get(job.Id));
        using var store = _fixture.OpenStore();
        Assert.Equal(["in/a.csv"], store.GetSpec(job.Id)!.Inputs);
    }

    [Theory]
    [InlineData("in/missing.csv", "out", "does not exist")]
    [InlineData("../etc/passwd", "out", "'..'")]
    [InlineData("in/a.csv", "/tmp/out", "absolute")]
    [InlineData("in/a.csv", "in/a.csv", "is the input")]
    [InlineData("in", "in/out", "inside the input")]
    [InlineData("in/a.csv", "in", "inside the output")]
    public void Submit_BadPaths_ThrowsBatchJobException(string input, string output, string reason)
    {
        var error = Assert.Throws<BatchJobException>(() => Manager.Submit(Request() with { Input = input, Output = output }));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(Manager.List(null, 10));
    }

    [Theory]
    [InlineData(0, null, null, "shard_rows")]
    [InlineData(null, -1L, null, "max_errors")]
    [InlineData(null, null, -1, "batch_size")]
    public void Submit_OutOfRangeNumbers_ThrowsBatchJobException(int? shardRows, long? maxErrors, int? batchSize, string field)
    {
        var error = Assert.Throws<BatchJobException>(() => Manager.Submit(Request() with { ShardRows = shardRows, MaxErrors = maxErrors, BatchSize = batchSize }));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_UnknownFormat_ThrowsBatchJobException()
    {
        var error = Assert.Throws<BatchJobException>(() => Manager.Submit(Request() with { OutputFormat = "xlsx" }));

        Assert.Contains("csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_UnknownModel_ThrowsNotFound()
    {
        var error = Assert.Throws<BatchServiceException>(() => Manager.Submit(Request() with { Model = "nope" }));

        Assert.Equal(BatchServiceError.NotFound, error.Error);
    }

    [Fact]
    public async Task CancelAsync_QueuedJob_IsCancelledAndNeverClaimed()
    {
        var job = Manager.Submit(Request());

        var cancelled = await Manager.CancelAsync(job.Id, TimeSpan.FromSeconds(1), CancellationToken.None).DefaultTimeout();

        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Equal(_fixture.Time.GetUtcNow(), cancelled.Finished);
        using var store = _fixture.OpenStore();
        Assert.False(store.TryClaim(job.Id, _fixture.Time.GetUtcNow()));
    }

    [Fact]
    public async Task CancelAsync_CancelledJob_ThrowsConflict()
    {
        var job = Manager.Submit(Request());
        await Manager.CancelAsync(job.Id, TimeSpan.FromSeconds(1), CancellationToken.None).DefaultTimeout();

        var error = await Assert.ThrowsAsync<BatchServiceException>(() => Manager.CancelAsync(job.Id, TimeSpan.FromSeconds(1), CancellationToken.None)).DefaultTimeout();

        Assert.Equal(BatchServiceError.Conflict, error.Error);
    }

    [Fact]
    public async Task CancelAsync_UnknownId_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<BatchServiceException>(() => Manager.CancelAsync("nope", TimeSpan.FromSeconds(1), CancellationToken.None)).DefaultTimeout();

        Assert.Equal(BatchServiceError.NotFound, error.Error);
    }

    [Fact]
    public void List_ByState_NewestFirst()
    {
        var first = Manager.Submit(Request());
        _fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var second = Manager.Submit(Request() with { Output = "out/b" });

        Assert.Equal([second.Id, first.Id], Manager.List(JobState.Queued, 10).Select(j => j.Id));
        Assert.Empty(Manager.List(JobState.Running, 10));
        Assert.Throws<BatchJobException>(() => Manager.List(null, 0));
    }

    private static JobRequest Request() => new() { Model = JobServiceFixture.Model, Input = "in/a.csv", Output = "out/a" };
}
