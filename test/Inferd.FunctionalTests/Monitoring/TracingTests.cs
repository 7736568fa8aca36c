using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Inferd.Core.Telemetry;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>
/// W3C trace context through a real server over REST and gRPC, and the spans it makes, read with an in-test
/// listener. Each test sends its own random trace id, since listeners see every server in the process.
/// </summary>
public sealed class TracingTests
{
    private const string Chain = """
        {"max_batch_size": 8,
         "pipeline": {
           "inputs": [{"name": "features", "data_type": "TYPE_FP32", "dims": [4]}],
           "steps": [
             {"name": "shape", "kind": "flatten", "inputs": {"x": "features"}, "outputs": {"flat": "flat"}},
             {"name": "score", "kind": "onnx", "inputs": {"X": "flat"}, "outputs": {"Y": "logits"}, "options": {"file": "a.onnx"}},
             {"name": "probs", "kind": "softmax", "inputs": {"logits": "logits"}}
           ],
           "outputs": [{"name": "probabilities", "from": "probabilities"}]}}
        """;

    private static Task<InferdTestServer> StartAsync() => InferdTestServer.StartAsync(root =>
    {
        ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig);
        var version = Directory.CreateDirectory(Path.Combine(root, "chain", "1")).FullName;
        File.WriteAllBytes(Path.Combine(version, "a.onnx"), TestModels.Mlp(4, 8, 3, seed: 1));
        File.WriteAllText(Path.Combine(root, "chain", "config.json"), Chain);
    });

    [Fact]
    public async Task Rest_RequestWithTraceparent_ResponseTraceparentHasTheSameTraceIdAndTheServersSpan()
    {
        await using var server = await StartAsync();
        var (trace, parent) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        using var request = RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody);
        request.Headers.Add("traceparent", $"00-{trace}-{parent}-01");

        using var response = await server.Http.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (returnedTrace, returnedSpan) = Parse(Assert.Single(response.Headers.GetValues("traceparent")));
        Assert.Equal(trace, returnedTrace);
        Assert.NotEqual(parent, returnedSpan);
    }

    [Fact]
    public async Task Rest_RequestWithoutTraceparentOrFailing_ResponseStillCarriesOne()
    {
        await using var server = await StartAsync();

        using var live = await server.Http.GetAsync("/v2/health/live").DefaultTimeout();
        using var missing = await server.Http.PostAsync("/v2/models/nope/infer", new StringContent("{}")).DefaultTimeout();

        Assert.NotEqual(default, Parse(Assert.Single(live.Headers.GetValues("traceparent"))).Trace);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Single(missing.Headers.GetValues("traceparent"));
    }

    [Fact]
    public async Task Grpc_MetadataTraceparent_ResponseHeadersCarryTheSameTraceIdAndSpansJoinIt()
    {
        using var spans = new SpanCollector(InferdTelemetry.SourceName);
        await using var server = await StartAsync();
        var trace = ActivityTraceId.CreateRandom();
        var headers = new Metadata { { "traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01" } };

        using var call = server.Grpc.ModelInferAsync(GrpcHelpers.SimpleRaw(), headers);
        var responseHeaders = await call.ResponseHeadersAsync.DefaultTimeout();
        await call.ResponseAsync.DefaultTimeout();

        var (returnedTrace, serverSpan) = Parse(responseHeaders.GetValue("traceparent") ?? throw new InvalidOperationException("no traceparent in the gRPC response headers"));
        Assert.Equal(trace, returnedTrace);
        var infer = (await spans.WaitForAsync(trace, "infer").DefaultTimeout()).Single(s => s.DisplayName == "infer");
        Assert.Equal(serverSpan, infer.ParentSpanId);
        Assert.Equal("simple", infer.GetTagItem(InferdTelemetry.ModelAttribute));
        Assert.Equal("g1", infer.GetTagItem(InferdTelemetry.RequestIdAttribute));
    }

    [Fact]
    public async Task Rest_Listened_InferQueueBatchAndComputeSpansShareTheTraceAndNest()
    {
        using var spans = new SpanCollector(InferdTelemetry.SourceName);
        await using var server = await StartAsync();
        var trace = ActivityTraceId.CreateRandom();
        using var request = RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody);
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await server.Http.SendAsync(request).DefaultTimeout();

        var serverSpan = Parse(Assert.Single(response.Headers.GetValues("traceparent"))).Span;
        var all = await spans.WaitForAsync(trace, "infer", "queue", "batch", "compute_input", "compute_infer", "compute_output").DefaultTimeout();
        var infer = all.Single(s => s.DisplayName == "infer");
        var batch = all.Single(s => s.DisplayName == "batch");
        Assert.Equal(serverSpan, infer.ParentSpanId);
        Assert.Equal("1", infer.GetTagItem(InferdTelemetry.VersionAttribute));
        Assert.Equal(infer.SpanId, all.Single(s => s.DisplayName == "queue").ParentSpanId);
        Assert.Equal(infer.SpanId, batch.ParentSpanId);
        Assert.Equal(1L, batch.GetTagItem(InferdTelemetry.BatchSizeAttribute));
        Assert.Equal(batch.SpanId, all.Single(s => s.DisplayName == "compute_infer").ParentSpanId);
        Assert.All(all, s => Assert.Equal(trace, s.TraceId));
    }

    [Fact]
    public async Task Rest_PipelineModel_OneSpanPerStepWithKindAndPhaseUnderTheBatch()
    {
        using var spans = new SpanCollector(InferdTelemetry.SourceName);
        await using var server = await StartAsync();
        var trace = ActivityTraceId.CreateRandom();
        const string Body = """{"inputs": [{"name": "features", "datatype": "FP32", "shape": [2, 4], "data": [0.5, -1, 2, 0.25, 1, 0, -0.5, 3]}]}""";
        using var request = RestHelpers.Json("/v2/models/chain/infer", Body);
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await server.Http.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var all = await spans.WaitForAsync(trace, "batch", "step shape", "step score", "step probs").DefaultTimeout();
        var batch = all.Single(s => s.DisplayName == "batch");
        foreach (var (name, kind, phase) in new[] { ("step shape", "flatten", "pre_processing"), ("step score", "onnx", "inference"), ("step probs", "softmax", "post_processing") })
        {
            var step = all.Single(s => s.DisplayName == name);
            Assert.Equal(kind, step.GetTagItem(InferdTelemetry.StepKindAttribute));
            Assert.Equal(phase, step.GetTagItem(InferdTelemetry.StepPhaseAttribute));
            Assert.Equal(batch.SpanId, step.ParentSpanId);
        }

        Assert.Equal(2L, batch.GetTagItem(InferdTelemetry.BatchSizeAttribute));
    }

    private static (ActivityTraceId Trace, ActivitySpanId Span) Parse(string traceparent)
    {
        var parts = traceparent.Split('-');
        Assert.True(parts.Length == 4 && parts[0] == "00" && parts[1].Length == 32 && parts[2].Length == 16 && parts[3].Length == 2, "not a W3C traceparent: " + traceparent);
        return (ActivityTraceId.CreateFromString(parts[1]), ActivitySpanId.CreateFromString(parts[2]));
    }
}
