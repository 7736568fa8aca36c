using System.Net;
using System.Text.Json;
using Inferd.Abstractions.Tensors;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests;

/// <summary>A model repository written for Triton (config.pbtxt) serves unchanged.</summary>
public sealed class TritonConfigTests
{
    private const string Pbtxt = """
        name: "simple"
        backend: "onnxruntime"
        max_batch_size: 8
        input [
          { name: "INPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
          { name: "INPUT1" data_type: TYPE_INT32 dims: [ 16 ] }
        ]
        output [
          { name: "OUTPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
          { name: "OUTPUT1" data_type: TYPE_INT32 dims: [ 16 ] }
        ]
        instance_group [ { count: 1 kind: KIND_CPU } ]
        parameters { key: "intra_op_thread_count" value: { string_value: "1" } }
        version_policy: { latest: { num_versions: 1 } }
        """;

    [Fact]
    public async Task Serve_RepositoryWithConfigPbtxt_UsesItAndServes()
    {
        await using var server = await InferdTestServer.StartAsync(root =>
        {
            ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]));
            File.WriteAllText(Path.Combine(root, "simple", "config.pbtxt"), Pbtxt);
        });

        var config = await server.Http.GetStringAsync("/v2/models/simple/config").DefaultTimeout();

        using var doc = JsonDocument.Parse(config);
        Assert.Equal(8, doc.RootElement.GetProperty("max_batch_size").GetInt32());
        Assert.Equal("1", doc.RootElement.GetProperty("parameters").GetProperty("intra_op_thread_count").GetProperty("string_value").GetString());
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Serve_BrokenConfigPbtxt_ModelUnavailableWithLineAndColumn()
    {
        await using var server = await InferdTestServer.StartAsync(root =>
        {
            ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]));
            ModelRepositoryBuilder.Add(root, "broken", TestModels.AddSub(DataType.Int32, [-1, 16]));
            File.WriteAllText(Path.Combine(root, "broken", "config.pbtxt"), "max_batch_size: 8\ninput [ { name: \"INPUT0\" ");
        });

        var index = await RestHelpers.SendAsync(server, new HttpRequestMessage(HttpMethod.Post, "/v2/repository/index"));

        Assert.Equal(HttpStatusCode.OK, index.Status);
        Assert.Contains("config.pbtxt line 2", index.Body, StringComparison.Ordinal);
        await RestHelpers.AssertStillServesAsync(server);
    }
}
