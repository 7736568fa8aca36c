using System.Diagnostics;
using Inferd.Abstractions.Inference;
using Inferd.Core.Repository;
using Inferd.Core.Telemetry;
using Inferd.Core.Tests.Inference;
using Inferd.Testing;
using Inferd.Testing.Fakes;
using Inferd.Testing.Server;
using static Inferd.Core.Tests.Scheduling.Sched;

namespace Inferd.Core.Tests.Telemetry;

/// <summary>The facade's and the scheduler's spans, read with an in-test listener under a trace each test starts.</summary>
public sealed class InferenceTracingTests
{
    [Fact]
    public async Task InferAsync_Listened_InferQueueBatchAndComputeSpansNestInTheCallersTrace()
    {
        using var spans = new SpanCollector(InferdTelemetry.SourceName);
        var f = new ServiceFixture(ModelControlMode.None);
        await using var _ = f;
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        var service = await f.StartAsync();
        using var caller = new Activity("test caller").SetIdFormat(ActivityIdFormat.W3C).Start();

        await service.InferAsync(Tagged("m", 7, 2), CancellationToken.None).DefaultTimeout();

        var trace = await spans.WaitForAsync(caller.TraceId, "infer", "queue", "batch", "compute_input", "compute_infer", "compute_output").DefaultTimeout();
        var infer = trace.Single(s => s.DisplayName == "infer");
        var batch = trace.Single(s => s.DisplayName == "batch");
        Assert.Equal(caller.SpanId, infer.ParentSpanId);
        Assert.Equal("m", infer.GetTagItem(InferdTelemetry.ModelAttribute));
        Assert.Equal("1", infer.GetTagItem(InferdTelemetry.VersionAttribute));
        Assert.Equal("r7", infer.GetTagItem(InferdTelemetry.RequestIdAttribute));
        Assert.Equal(infer.SpanId, trace.Single(s => s.DisplayName == "queue").ParentSpanId);
        Assert.Equal(infer.SpanId, batch.ParentSpanId);
        Assert.Equal(2L, batch.GetTagItem(InferdTelemetry.BatchSizeAttribute));
        Assert.Equal(infer.Context, Assert.Single(batch.Links).Context);
        Assert.All(new[] { "compute_input", "compute_infer", "compute_output" }, name => Assert.Equal(batch.SpanId, trace.Single(s => s.DisplayName == name).ParentSpanId));
        Assert.All(trace, s => Assert.Equal(InferdTelemetry.SourceName, s.Source.Name));
    }

    [Fact]
    public async Task InferAsync_TwoRequestsBatchedTogether_OneBatchSpanLinkedToBoth()
    {
        using var spans = new SpanCollector(InferdTelemetry.SourceName);
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, """{"max_batch_size": 8, "dynamic_batching": {}}""");
        _ = await OccupyAsync(f, log);
        var callers = new Activity[2];
        var calls = new Task<InferenceResponse>[2];
        for (var i = 0; i < 2; i++)
        {
            callers[i] = new Activity("caller " + i).SetIdFormat(ActivityIdFormat.W3C).Start();
            calls[i] = f.Infer(Tagged("m", i + 1));
            callers[i].Stop();
        }

        log.ReleaseAll();
        await Task.WhenAll(calls).DefaultTimeout();

        var first = await spans.WaitForAsync(callers[0].TraceId, "infer", "queue", "batch").DefaultTimeout();
        var second = await spans.WaitForAsync(callers[1].TraceId, "infer", "queue").DefaultTimeout();
        var batch = first.Single(s => s.DisplayName == "batch");
        Assert.Equal(2, batch.GetTagItem(InferdTelemetry.BatchRequestsAttribute));
        Assert.Equal(
            new[] { first.Single(s => s.DisplayName == "infer").Context, second.Single(s => s.DisplayName == "infer").Context },
            batch.Links.Select(l => l.Context));
        // The second request's queue span covers its wait for the busy instance, so it ends when its batch starts.
        Assert.True(second.Single(s => s.DisplayName == "queue").StartTimeUtc <= batch.StartTimeUtc);
    }

    [Fact]
    public async Task InferAsync_UnknownModel_InferSpanMarkedAsError()
    {
        using var spans = new SpanCollector(InferdTelemetry.SourceName);
        var f = new ServiceFixture(ModelControlMode.None);
        await using var _ = f;
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        var service = await f.StartAsync();
        using var caller = new Activity("test caller").SetIdFormat(ActivityIdFormat.W3C).Start();

        await Assert.ThrowsAsync<InferenceException>(() => service.InferAsync(Tagged("nope", 1), CancellationToken.None)).DefaultTimeout();

        var infer = Assert.Single(await spans.WaitForAsync(caller.TraceId, "infer").DefaultTimeout());
        Assert.Equal(ActivityStatusCode.Error, infer.Status);
        Assert.Equal(nameof(InferenceErrorKind.ModelNotFound), infer.GetTagItem("error.type"));
    }
}
