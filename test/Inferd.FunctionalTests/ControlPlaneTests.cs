using System.Net;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests;

/// <summary>Model repository extension and control-plane hardening (bad-inputs.md row 19, T6).</summary>
public sealed class ControlPlaneTests
{
    private static Task<InferdTestServer> StartExplicitAsync(params string[] startup) => InferdTestServer.StartAsync(
        root =>
        {
            ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig);
            ModelRepositoryBuilder.Add(root, "fp32", TestModels.Identity(DataType.Fp32, [-1, 4]));
        },
        mode: ModelControlMode.Explicit,
        startupModels: startup);

    [Fact]
    public async Task LoadUnload_ControlModeNone_Forbidden()
    {
        await using var server = await InferdTestServer.StartAsync(root => ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig));

        var load = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/repository/models/simple/load", "{}"));
        var unload = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/repository/models/simple/unload", """{"parameters": {"unload_dependents": false}}"""));

        RestHelpers.AssertError(load, HttpStatusCode.Forbidden, "model control is disabled");
        RestHelpers.AssertError(unload, HttpStatusCode.Forbidden);
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task LoadThenUnload_Explicit_StatesFollowInTheIndex()
    {
        await using var server = await StartExplicitAsync("simple");

        var index = await RestHelpers.SendAsync(server, new HttpRequestMessage(HttpMethod.Post, "/v2/repository/index"));
        Assert.Contains("\"name\":\"fp32\"", index.Body, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"UNAVAILABLE\"", index.Body, StringComparison.Ordinal);

        var load = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/repository/models/fp32/load", ""));
        Assert.Equal(HttpStatusCode.OK, load.Status);
        var ready = await server.Http.GetAsync("/v2/models/fp32/ready").DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        var unload = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/repository/models/fp32/unload", """{"parameters": {"unload_dependents": false}}"""));
        Assert.Equal(HttpStatusCode.OK, unload.Status);
        var notReady = await server.Http.GetAsync("/v2/models/fp32/ready").DefaultTimeout();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Theory]
    [InlineData("..%2Fetc")]
    [InlineData("a%2F..%2Fb")]
    [InlineData("%2Fetc%2Fpasswd")]
    [InlineData("%20..")]
    [InlineData("%20")]
    [InlineData("..")]
    public async Task Load_HostileModelName_RejectedWithoutTouchingFiles(string encodedName)
    {
        await using var server = await StartExplicitAsync("simple");
        var before = Snapshot(server.Repository);

        var answer = await RestHelpers.SendAsync(server, RestHelpers.Json($"/v2/repository/models/{encodedName}/load", "{}"));

        Assert.True(answer.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"got {(int)answer.Status}");
        Assert.Equal(before, Snapshot(server.Repository));
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Load_NameLongerThanNameMax_Rejected()
    {
        await using var server = await StartExplicitAsync("simple");

        var answer = await RestHelpers.SendAsync(server, RestHelpers.Json($"/v2/repository/models/{new string('a', 256)}/load", "{}"));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest);
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Load_FileParameterOverRestAndGrpc_RefusedAndNothingWritten()
    {
        await using var server = await StartExplicitAsync("simple");
        var before = Snapshot(server.Repository);

        var rest = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/repository/models/simple/load", """{"parameters": {"file:1/model.onnx": "AAAA", "file:../../../home/victim/.bashrc": "AAAA"}}"""));
        var grpcRequest = new RepositoryModelLoadRequest { ModelName = "simple" };
        grpcRequest.Parameters["file:1/model.onnx"] = new ModelRepositoryParameter { BytesParam = Google.Protobuf.ByteString.CopyFrom(1, 2, 3) };
        var grpc = await GrpcHelpers.StatusOfAsync(() => server.Grpc.RepositoryModelLoadAsync(grpcRequest).ResponseAsync);

        RestHelpers.AssertError(rest, HttpStatusCode.BadRequest, "file parameters are not supported");
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, grpc);
        Assert.Equal(before, Snapshot(server.Repository));
        await GrpcHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Load_ConfigOverrideOverGrpc_ReloadsWithTheNewConfig()
    {
        await using var server = await StartExplicitAsync("simple");
        var request = new RepositoryModelLoadRequest { ModelName = "fp32" };
        request.Parameters["config"] = new ModelRepositoryParameter { StringParam = """{"max_batch_size": 2}""" };

        await server.Grpc.RepositoryModelLoadAsync(request).ResponseAsync.DefaultTimeout();
        var config = await server.Grpc.ModelConfigAsync(new ModelConfigRequest { Name = "fp32" }).ResponseAsync.DefaultTimeout();

        Assert.Equal(2, config.Config.MaxBatchSize);
    }

    [Fact]
    public async Task Load_KServeShapedRequest_RepositoryNameIsTakenAsTheModel()
    {
        await using var server = await StartExplicitAsync("simple");

        await server.Grpc.RepositoryModelLoadAsync(new RepositoryModelLoadRequest { RepositoryName = "fp32" }).ResponseAsync.DefaultTimeout();
        var ready = await server.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = "fp32" }).ResponseAsync.DefaultTimeout();

        Assert.True(ready.Ready);
    }

    [Fact]
    public async Task Load_BrokenConfig_400WithReasonAndOldVersionKeepsServing()
    {
        await using var server = await StartExplicitAsync("simple");
        File.WriteAllText(Path.Combine(server.Repository, "simple", "config.json"), """{"max_batch_size": 8, "input": [{"name": "INPUT0", "data_type": "TYPE_INT32", "dims": [15]}]}""");

        var answer = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/repository/models/simple/load", "{}"));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, "[15]");
        await RestHelpers.AssertStillServesAsync(server);
    }

    private static string Snapshot(string root) =>
        string.Join("\n", Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(p => File.Exists(p) ? p + ":" + new FileInfo(p).Length : p + "/"));
}
