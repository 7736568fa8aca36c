using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;
using Inferd.Testing.Models;
using Inferd.Testing.Server;
using Onnx;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.FunctionalTests.BadInputs;

/// <summary>
/// Hostile model files (bad-inputs.md row 20, §5): each fails to load with a clear reason in the index, nothing
/// crashes, and a healthy model beside them keeps serving.
/// </summary>
public sealed class MaliciousModelTests
{
    /// <summary>Y = X + W where W is an initializer whose bytes live in "external data" at <paramref name="location"/>.</summary>
    private static byte[] ExternalData(string location)
    {
        var weight = new TensorProto { Name = "W", DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        weight.Dims.Add(4);
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        weight.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "16" });
        return Serialize(Graph("external", [Node("Add", ["X", "W"], ["Y"])], [Value("X", DataType.Fp32, [4])], [Value("Y", DataType.Fp32, [4])], [weight]));
    }

    public static TheoryData<string> Cases() => new(Models.Keys);

    private static readonly Dictionary<string, Func<byte[]>> Models = new()
    {
        ["random-bytes"] = () => Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 251)).ToArray(),
        ["truncated"] = () => TestModels.Mlp(4, 8, 3, 1)[..200],
        ["empty"] = () => [],
        ["external-data-parent"] = () => ExternalData("../../../../../../etc/passwd"),
        ["external-data-absolute"] = () => ExternalData("/etc/passwd"),
        ["external-data-missing"] = () => ExternalData("weights.bin"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Load_HostileModelFile_UnavailableWithReasonAndOthersServe(string name)
    {
        await using var server = await InferdTestServer.StartAsync(root =>
        {
            ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig);
            ModelRepositoryBuilder.Add(root, "hostile", Models[name]());
        });

        var index = await server.Http.GetAsync("/v2/health/ready");
        var rows = System.Text.Json.JsonDocument.Parse(await (await server.Http.PostAsync("/v2/repository/index", null)).Content.ReadAsStringAsync());

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, index.StatusCode);
        var hostile = rows.RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "hostile");
        Assert.Equal("UNAVAILABLE", hostile.GetProperty("state").GetString());
        var reason = hostile.GetProperty("reason").GetString()!;
        Assert.Contains("could not load", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Repository, reason, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", reason, StringComparison.Ordinal);
        await RestHelpers.AssertStillServesAsync(server);
    }
}
