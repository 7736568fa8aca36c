using System.Buffers.Binary;
using System.Text;
using Inferd.Testing;

namespace Inferd.FunctionalTests.ForeignClients;

/// <summary>Plain curl against the REST endpoint: JSON, and the binary tensor extension built by hand.</summary>
public sealed class CurlTests(StandardServer fixture) : IClassFixture<StandardServer>
{
    private const string Curl = "/usr/bin/curl";

    [Fact]
    public async Task Curl_BinaryTensorRequest_ReturnsBinaryOutputsWithHeaderLength()
    {
        if (!File.Exists(Curl))
        {
            Assert.Skip("curl is not installed (eng/install-deps.sh installs it)");
        }

        using var dir = new TempDirectory();
        var header = """{"inputs":[{"name":"INPUT0","datatype":"INT32","shape":[1,16],"parameters":{"binary_data_size":64}},{"name":"INPUT1","datatype":"INT32","shape":[1,16],"parameters":{"binary_data_size":64}}],"outputs":[{"name":"OUTPUT0","parameters":{"binary_data":true}}]}""";
        var json = Encoding.UTF8.GetBytes(header);
        var body = new byte[json.Length + 128];
        json.CopyTo(body, 0);
        for (var i = 0; i < 16; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(json.Length + i * 4), i);
            BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(json.Length + 64 + i * 4), 10);
        }

        var request = Path.Combine(dir.Path, "request.bin");
        var responseBody = Path.Combine(dir.Path, "response.bin");
        var headers = Path.Combine(dir.Path, "headers.txt");
        await File.WriteAllBytesAsync(request, body);

        var run = await ExternalProcess.RunAsync(Curl, "-sS", "--fail-with-body", "-X", "POST",
            "-H", $"Inference-Header-Content-Length: {json.Length}", "-H", "Content-Type: application/octet-stream",
            "--data-binary", "@" + request, "-D", headers, "-o", responseBody,
            $"http://127.0.0.1:{fixture.Server.Info.HttpPort}/v2/models/simple/infer");

        Assert.True(run.ExitCode == 0, run.StdErr);
        var headerText = await File.ReadAllTextAsync(headers);
        var lengthLine = headerText.Split('\n').Single(l => l.StartsWith("inference-header-content-length:", StringComparison.OrdinalIgnoreCase));
        var jsonLength = int.Parse(lengthLine.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var bytes = await File.ReadAllBytesAsync(responseBody);
        Assert.Contains("\"binary_data_size\":64", Encoding.UTF8.GetString(bytes, 0, jsonLength), StringComparison.Ordinal);
        var sums = Enumerable.Range(0, 16).Select(i => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(jsonLength + i * 4))).ToArray();
        Assert.Equal(Enumerable.Range(10, 16), sums);
    }

    [Fact]
    public async Task Curl_JsonInferAndHealth_Work()
    {
        if (!File.Exists(Curl))
        {
            Assert.Skip("curl is not installed (eng/install-deps.sh installs it)");
        }

        var baseUrl = $"http://127.0.0.1:{fixture.Server.Info.HttpPort}";

        var ready = await ExternalProcess.RunAsync(Curl, "-sS", baseUrl + "/v2/health/ready");
        var infer = await ExternalProcess.RunAsync(Curl, "-sS", baseUrl + "/v2/models/simple/infer", "-d", RestHelpers.GoodSimpleBody);

        Assert.Equal("{\"ready\":true}", ready.StdOut);
        Assert.Contains("\"model_name\":\"simple\"", infer.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"data\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]", infer.StdOut, StringComparison.Ordinal);
    }
}
