using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Inferd.Protocol.V2;
using Inferd.Testing;

namespace Inferd.FunctionalTests;

/// <summary>The gRPC side services: health (grpc.health.v1) and server reflection.</summary>
public sealed class GrpcServiceTests(StandardServer fixture) : IClassFixture<StandardServer>
{
    [Fact]
    public async Task Reflection_ListServices_IncludesInferenceAndHealth()
    {
        var client = new ServerReflection.ServerReflectionClient(fixture.Server.Channel);
        using var call = client.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());

        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("inference.GRPCInferenceService", names);
        Assert.Contains("grpc.health.v1.Health", names);
    }

    [Fact]
    public async Task HealthCheck_ServerAndModel_ServingAndUnknownModelNotServing()
    {
        var health = new Health.HealthClient(fixture.Server.Channel);

        var server = await health.CheckAsync(new HealthCheckRequest { Service = "" }).ResponseAsync.DefaultTimeout();
        var model = await health.CheckAsync(new HealthCheckRequest { Service = "simple" }).ResponseAsync.DefaultTimeout();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, server.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, model.Status);
    }

    [Fact]
    public async Task ModelStatistics_AfterInference_CountsAndBatchStats()
    {
        await fixture.Server.Grpc.ModelInferAsync(GrpcHelpers.SimpleRaw(batch: 2)).ResponseAsync.DefaultTimeout();

        var stats = await fixture.Server.Grpc.ModelStatisticsAsync(new ModelStatisticsRequest { Name = "simple" }).ResponseAsync.DefaultTimeout();

        var s = Assert.Single(stats.ModelStats);
        Assert.Equal("1", s.Version);
        Assert.True(s.InferenceCount >= 2);
        Assert.True(s.InferenceStats.Success.Count >= 1);
        Assert.Contains(s.BatchStats, b => b.BatchSize == 2);
    }
}
