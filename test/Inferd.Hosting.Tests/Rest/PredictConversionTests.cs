using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;
using Inferd.Hosting.Rest;

namespace Inferd.Hosting.Tests.Rest;

/// <summary>Field ↔ tensor conversions of the :predict endpoint, without a server.</summary>
public sealed class PredictConversionTests
{
    private static readonly RequestLimits Limits = new();

    private static ModelMetadata Model(params TensorSignature[] inputs) => new("m", ["1"], "onnxruntime_onnx", inputs, []);

    private static Task<(InferenceRequest Request, int Instances)> ReadAsync(string json, ModelMetadata metadata, int maxBatchSize = 8, RequestLimits? limits = null) =>
        PredictRequestReader.ReadAsync(Encoding.UTF8.GetBytes(json), "application/json", null, metadata, maxBatchSize, limits ?? Limits, CancellationToken.None);

    [Fact]
    public async Task ReadAsync_VariableDimsAcrossInstances_StackIntoOneTensor()
    {
        var model = Model(new TensorSignature("tokens", DataType.Int64, [-1, -1]));

        var (request, instances) = await ReadAsync("""{"instances": [[1, 2, 3], [4, 5, 6]]}""", model);

        Assert.Equal(2, instances);
        var tensor = Assert.Single(request.Inputs);
        Assert.Equal([2L, 3], tensor.Shape);
        Assert.Equal(6, BinaryPrimitives.ReadInt64LittleEndian(tensor.Data.Span[40..]));
    }

    [Fact]
    public async Task ReadAsync_NestedRowAndUnbatchedModel_KeepTheRowShape()
    {
        var model = Model(new TensorSignature("grid", DataType.Fp32, [2, 2]));

        var (request, _) = await ReadAsync("""{"instances": [{"grid": [[1, 2], [3, 4.5]]}]}""", model, maxBatchSize: 0);

        Assert.Equal([2L, 2], request.Inputs[0].Shape);
        Assert.Equal(4.5f, BinaryPrimitives.ReadSingleLittleEndian(request.Inputs[0].Data.Span[12..]));
    }

    [Fact]
    public async Task ReadAsync_VariableDimsOverElementLimit_RejectedBeforeAllocating()
    {
        var model = Model(new TensorSignature("tokens", DataType.Int64, [-1, -1]));
        var limits = new RequestLimits { MaxElementsPerTensor = 5 };

        var error = await Assert.ThrowsAsync<InferenceException>(() => ReadAsync("""{"instances": [[1, 2, 3], [4, 5, 6]]}""", model, limits: limits));

        Assert.Contains("more than 5 elements", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_AbsentBytesAndFp16Fields_EmptyElementAndNaN()
    {
        var model = Model(new TensorSignature("text", DataType.Bytes, [-1]), new TensorSignature("age", DataType.Fp16, [-1, 1]));

        var (request, _) = await ReadAsync("""{"instances": [{}]}""", model);

        Assert.Equal([0, 0, 0, 0], request.Inputs[0].Data.ToArray());
        Assert.True(Half.IsNaN(BinaryPrimitives.ReadHalfLittleEndian(request.Inputs[1].Data.Span)));
    }

    [Fact]
    public async Task ReadAsync_Uint8OutOfRange_NamesTheField()
    {
        var model = Model(new TensorSignature("pixels", DataType.UInt8, [-1, 2]));

        var error = await Assert.ThrowsAsync<InferenceException>(() => ReadAsync("""{"instances": [[1, 2], [3, 256]]}""", model));

        Assert.Equal("instance 1: field 'pixels' is out of range for UINT8", error.Message);
    }

    [Fact]
    public void Write_RowShapes_ScalarsForOneElementRowsNestedArraysOtherwise()
    {
        var scores = new byte[8 * 4];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(scores.AsSpan(i * 4), i + 0.5f);
        }

        var outputs = new[]
        {
            new InferenceTensor("p", DataType.Fp32, [2, 1], scores.AsMemory(0, 8)),
            new InferenceTensor("grid", DataType.Fp32, [2, 2, 2], scores),
            new InferenceTensor("ok", DataType.Bool, [2], new byte[] { 1, 0 }),
            new InferenceTensor("label", DataType.Bytes, [2], BytesTensor.Encode([Encoding.UTF8.GetBytes("cat"), new byte[] { 0xff }])),
        };
        var response = new InferenceResponse("m", "1", null, outputs, outputs.Select(_ => (RequestedOutput?)null).ToArray());

        var reply = PredictResponseWriter.Write(response, instances: 2, batched: true);

        using var doc = JsonDocument.Parse(reply.Body);
        var second = doc.RootElement.GetProperty("predictions")[1];
        Assert.Equal(1.5f, second.GetProperty("p").GetSingle());
        Assert.Equal("[[4.5,5.5],[6.5,7.5]]", second.GetProperty("grid").GetRawText());
        Assert.False(second.GetProperty("ok").GetBoolean());
        Assert.Equal("/w==", second.GetProperty("label").GetProperty("b64").GetString());
        Assert.Equal("cat", doc.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
    }
}
