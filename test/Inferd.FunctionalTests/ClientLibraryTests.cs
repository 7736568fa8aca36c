using System.Net;
using Inferd.Client;
using Inferd.FunctionalTests.Cli;
using Inferd.Testing;

namespace Inferd.FunctionalTests;

/// <summary>Inferd.Client and the inferd CLI against a real server, over REST and gRPC.</summary>
public sealed class ClientLibraryTests(StandardServer fixture) : IClassFixture<StandardServer>
{
    public static TheoryData<string, bool> Transports() => new()
    {
        { "rest", true }, { "rest", false }, { "grpc", true }, { "grpc", false },
    };

    private IInferdClient Create(string transport) => transport == "rest"
        ? new InferdRestClient(fixture.Server.Info.HttpAddress)
        : new InferdGrpcClient(fixture.Server.Info.GrpcAddress);

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task InferAsync_EveryTransport_SameResults(string transport, bool binaryOrRaw)
    {
        using var client = Create(transport);
        var a = ClientTensor.FromInt32s("INPUT0", [2, 16], Enumerable.Range(0, 32).ToArray());
        var b = ClientTensor.FromInt32s("INPUT1", [2, 16], Enumerable.Repeat(5, 32).ToArray());
        var request = new ClientInferRequest("simple", [a, b]) { Id = "c1", Binary = binaryOrRaw, Raw = binaryOrRaw };

        var response = await client.InferAsync(request).DefaultTimeout();

        Assert.Equal("simple", response.ModelName);
        Assert.Equal("1", response.ModelVersion);
        Assert.Equal("c1", response.Id);
        Assert.Equal(Enumerable.Range(5, 32), response.GetOutput("OUTPUT0").AsInt32s());
        Assert.Equal(Enumerable.Range(-5, 32), response.GetOutput("OUTPUT1").AsInt32s());
    }

    [Theory]
    [InlineData("rest")]
    [InlineData("grpc")]
    public async Task Metadata_IndexConfigAndStatistics_ReadThroughTheClient(string transport)
    {
        using var client = Create(transport);

        Assert.True(await client.IsServerLiveAsync().DefaultTimeout());
        Assert.True(await client.IsServerReadyAsync().DefaultTimeout());
        Assert.True(await client.IsModelReadyAsync("simple").DefaultTimeout());
        Assert.False(await client.IsModelReadyAsync("nope").DefaultTimeout());
        var server = await client.GetServerMetadataAsync().DefaultTimeout();
        var model = await client.GetModelMetadataAsync("simple").DefaultTimeout();
        var config = await client.GetModelConfigJsonAsync("simple").DefaultTimeout();
        var index = await client.GetRepositoryIndexAsync().DefaultTimeout();
        var stats = await client.GetStatisticsJsonAsync("simple").DefaultTimeout();

        Assert.Contains("binary_tensor_data", server.Extensions);
        Assert.Equal([-1L, 16], model.Inputs[0].Shape);
        Assert.Contains("max_batch_size", config, StringComparison.Ordinal);
        Assert.Contains(index, e => e is { Name: "simple", State: "READY" });
        Assert.Contains("inference_stats", stats, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rest")]
    [InlineData("grpc")]
    public async Task InferAsync_UnknownModel_ClientExceptionWithStatus(string transport)
    {
        using var client = Create(transport);

        var error = await Assert.ThrowsAsync<InferdClientException>(() => client.InferAsync(new ClientInferRequest("nope", [ClientTensor.FromFloats("x", [1], [1f])]))).DefaultTimeout();

        if (transport == "rest")
        {
            Assert.Equal(HttpStatusCode.NotFound, error.HttpStatusCode);
        }
        else
        {
            Assert.Equal(Grpc.Core.StatusCode.NotFound, error.GrpcStatusCode);
        }
    }

    [Theory]
    [InlineData("http")]
    [InlineData("grpc")]
    public async Task CliInfer_InlineInputs_PrintsTheOutputs(string protocol)
    {
        var url = protocol == "http" ? fixture.Server.Info.HttpAddress.ToString() : fixture.Server.Info.GrpcAddress.ToString();
        var values = string.Join(",", Enumerable.Range(0, 16));

        var (exit, stdout, stderr) = await CliRunner.RunAsync("infer", "simple", "-u", url, "-p", protocol,
            "-i", $"INPUT0:INT32:1,16:{values}", "-i", "INPUT1:INT32:1,16:" + string.Join(",", Enumerable.Repeat(1, 16)), "--json");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("OUTPUT0", stdout, StringComparison.Ordinal);
        Assert.Contains("16", stdout, StringComparison.Ordinal);
        var compact = stdout.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        Assert.Contains("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]", compact, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliModelsList_PrintsTheIndex()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("models", "list", "-u", fixture.Server.Info.HttpAddress.ToString());

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("simple", stdout, StringComparison.Ordinal);
        Assert.Contains("READY", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliInfer_UnknownModel_ExitsNonZeroWithTheServersMessage()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("infer", "nope", "-u", fixture.Server.Info.HttpAddress.ToString(), "-i", "x:FP32:1:1");

        Assert.NotEqual(0, exit);
        Assert.Contains("nope", stderr, StringComparison.Ordinal);
    }
}
