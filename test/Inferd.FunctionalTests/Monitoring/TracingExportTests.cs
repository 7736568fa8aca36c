using System.Diagnostics;
using System.Net;
using Inferd.Hosting.Monitoring;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;
using Microsoft.Extensions.DependencyInjection;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>OTLP/HTTP export to a real receiver on loopback, on when an endpoint is set and absent otherwise.</summary>
public sealed class TracingExportTests
{
    private static Task<InferdTestServer> StartAsync(Uri? otlp) => InferdTestServer.StartAsync(
        root => ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig),
        configure: o => o with { OtlpEndpoint = otlp });

    [Fact]
    public async Task Otlp_EndpointSet_ReceiverGetsProtobufHoldingTheRequestsTraceIdOnceTheServerStops()
    {
        await using var receiver = await TracingOtlpReceiver.StartAsync();
        var server = await StartAsync(receiver.Endpoint);
        var trace = ActivityTraceId.CreateRandom();
        try
        {
            Assert.True(server.Services.GetRequiredService<TracingHostedService>().Exporting);
            using var request = RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody);
            request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
            using var response = await server.Http.SendAsync(request).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            // Stopping flushes the batch exporter.
            await server.DisposeAsync();
        }

        var traceBytes = Convert.FromHexString(trace.ToHexString());
        var calls = receiver.Calls.ToArray();
        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.Equal("/v1/traces", c.Path));
        Assert.All(calls, c => Assert.Equal("application/x-protobuf", c.ContentType));
        var holding = calls.Where(c => c.Body.AsSpan().IndexOf(traceBytes) >= 0).ToArray();
        Assert.NotEmpty(holding);
        // The request's span names travel as protobuf strings; the facade's span is among them.
        Assert.Contains(holding, c => c.Body.AsSpan().IndexOf("infer"u8) >= 0);
    }

    [Fact]
    public async Task Otlp_EndpointNotSet_NothingExported()
    {
        await using var receiver = await TracingOtlpReceiver.StartAsync();
        var server = await StartAsync(otlp: null);
        try
        {
            Assert.False(server.Services.GetRequiredService<TracingHostedService>().Exporting);
            using var request = RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody);
            request.Headers.Add("traceparent", $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01");
            using var response = await server.Http.SendAsync(request).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.Empty(receiver.Calls);
    }
}
