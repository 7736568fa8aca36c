using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Hosting.Rest;
using static Inferd.Hosting.Tests.Rest.RestTestData;

namespace Inferd.Hosting.Tests.Rest;

public sealed class InferResponseWriterTests
{
    private static readonly Dictionary<string, ParameterValue> BinaryTrue = new() { ["binary_data"] = ParameterValue.FromBool(true) };

    private static InferenceResponse Response(string? id, params InferenceTensor[] outputs) =>
        new("m", "3", id, outputs, outputs.Select(_ => (RequestedOutput?)null).ToArray());

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    private static JsonElement Parse(RestReply reply) => JsonDocument.Parse(reply.Body).RootElement;

    [Fact]
    public void Write_JsonOutputs_HaveExactFields()
    {
        var reply = InferResponseWriter.Write(Response("r-1", new InferenceTensor("y", DataType.Int32, [2], new byte[] { 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF })), false);

        Assert.Equal(200, reply.Status);
        Assert.Equal("application/json", reply.ContentType);
        Assert.Empty(reply.Headers);
        Assert.Equal("""{"model_name":"m","model_version":"3","id":"r-1","outputs":[{"name":"y","datatype":"INT32","shape":[2],"data":[1,-1]}]}""",
            Encoding.UTF8.GetString(reply.Body.Span));
    }

    [Fact]
    public void Write_NoRequestId_OmitsId() =>
        Assert.False(Parse(InferResponseWriter.Write(Response(null), false)).TryGetProperty("id", out _));

    [Fact]
    public void Write_BinaryByDefault_AppendsBytesAndHeader()
    {
        var data = Floats(1.5f, -2f);

        var reply = InferResponseWriter.Write(Response(null, new InferenceTensor("y", DataType.Fp32, [2], data)), true);

        Assert.Equal("application/octet-stream", reply.ContentType);
        var header = Assert.Single(reply.Headers);
        Assert.Equal("Inference-Header-Content-Length", header.Key);
        Assert.Equal(reply.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), header.Value);
        var output = Parse(reply).GetProperty("outputs")[0];
        Assert.Equal(8, output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.False(output.TryGetProperty("data", out _));
        Assert.Equal(data, Assert.Single(reply.Tail).ToArray());
        Assert.Equal(reply.Body.Length + 8, reply.ContentLength);
    }

    [Fact]
    public void Write_PerOutputBinaryData_OverridesDefault()
    {
        var response = new InferenceResponse("m", "1", null,
            [new InferenceTensor("a", DataType.Int8, [1], new byte[] { 0xFF }), new InferenceTensor("b", DataType.Int8, [1], new byte[] { 2 })],
            [new RequestedOutput("a", BinaryTrue), new RequestedOutput("b", new Dictionary<string, ParameterValue>())]);

        var reply = InferResponseWriter.Write(response, false);

        var outputs = Parse(reply).GetProperty("outputs");
        Assert.True(outputs[0].TryGetProperty("parameters", out _));
        Assert.Equal(2, outputs[1].GetProperty("data")[0].GetInt32());
        Assert.Equal([0xFF], Assert.Single(reply.Tail).ToArray());
    }

    [Fact]
    public void Write_NonFiniteFloats_AreStringsAndBodyParses()
    {
        var reply = InferResponseWriter.Write(Response(null, new InferenceTensor("y", DataType.Fp32, [3], Floats(float.NaN, float.PositiveInfinity, float.NegativeInfinity))), false);

        var data = Parse(reply).GetProperty("outputs")[0].GetProperty("data");
        Assert.Equal(["NaN", "Infinity", "-Infinity"], data.EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [Fact]
    public void Write_JsonFloats_RoundTripBitIdenticalThroughReader()
    {
        float[] values = [0.1f, 1f / 3f, float.Epsilon, float.MaxValue, -0f, 1e20f, 16777217f];
        var fp32 = Floats(values);
        var fp64 = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(fp64.AsSpan(i * 8), Math.PI * values[i]);
        }

        var reply = InferResponseWriter.Write(Response(null,
            new InferenceTensor("a", DataType.Fp32, [values.Length], fp32), new InferenceTensor("b", DataType.Fp64, [values.Length], fp64)), false);
        var outputs = Parse(reply).GetProperty("outputs");
        var request = ReadJson(Request(
            Input("a", "FP32", $"[{values.Length}]", outputs[0].GetProperty("data").GetRawText()),
            Input("b", "FP64", $"[{values.Length}]", outputs[1].GetProperty("data").GetRawText())));

        Assert.Equal(fp32, request.Inputs[0].Data.ToArray());
        Assert.Equal(fp64, request.Inputs[1].Data.ToArray());
    }

    [Fact]
    public void Write_EveryIntegerType_WritesNumbers()
    {
        var reply = InferResponseWriter.Write(Response(null,
            new InferenceTensor("u64", DataType.UInt64, [1], BitConverter.GetBytes(ulong.MaxValue)),
            new InferenceTensor("i16", DataType.Int16, [1], BitConverter.GetBytes((short)-300)),
            new InferenceTensor("u16", DataType.UInt16, [1], BitConverter.GetBytes((ushort)65535)),
            new InferenceTensor("u32", DataType.UInt32, [1], BitConverter.GetBytes(uint.MaxValue)),
            new InferenceTensor("i64", DataType.Int64, [1], BitConverter.GetBytes(long.MinValue)),
            new InferenceTensor("u8", DataType.UInt8, [1], new byte[] { 200 }),
            new InferenceTensor("b", DataType.Bool, [2], new byte[] { 1, 0 })), false);

        var text = Encoding.UTF8.GetString(reply.Body.Span);
        Assert.Contains("\"data\":[18446744073709551615]", text, StringComparison.Ordinal);
        Assert.Contains("\"data\":[-300]", text, StringComparison.Ordinal);
        Assert.Contains("\"data\":[65535]", text, StringComparison.Ordinal);
        Assert.Contains("\"data\":[4294967295]", text, StringComparison.Ordinal);
        Assert.Contains("\"data\":[-9223372036854775808]", text, StringComparison.Ordinal);
        Assert.Contains("\"data\":[200]", text, StringComparison.Ordinal);
        Assert.Contains("\"data\":[true,false]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_BytesOutput_IsJsonStringsWithNulKept()
    {
        var reply = InferResponseWriter.Write(Response(null, new InferenceTensor("s", DataType.Bytes, [2], BytesTensor.EncodeStrings(["a\0b", "é"]))), false);

        var data = Parse(reply).GetProperty("outputs")[0].GetProperty("data");
        Assert.Equal(["a\0b", "é"], data.EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [Fact]
    public void Write_BytesOutputNotUtf8_AsksForBinary()
    {
        var tensor = new InferenceTensor("s", DataType.Bytes, [1], BytesTensor.Encode([new byte[] { 0xFF, 0xFE }]));

        var error = Invalid(() => InferResponseWriter.Write(Response(null, tensor), false));

        Assert.Contains("binary_data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_BytesOutputNotUtf8AsBinary_IsSentUnchanged()
    {
        var data = BytesTensor.Encode([new byte[] { 0xFF, 0xFE }]);

        var reply = InferResponseWriter.Write(Response(null, new InferenceTensor("s", DataType.Bytes, [1], data)), true);

        Assert.Equal(data, Assert.Single(reply.Tail).ToArray());
    }

    [Fact]
    public void Write_Fp16Output_IsAlwaysBinary()
    {
        var reply = InferResponseWriter.Write(Response(null, new InferenceTensor("h", DataType.Fp16, [1], new byte[] { 0, 0x3C })), false);

        Assert.Equal("application/octet-stream", reply.ContentType);
        Assert.Single(reply.Tail);
    }

    [Fact]
    public void BinaryByDefault_FollowsRequestParameter()
    {
        var request = ReadJson($$"""{"parameters":{"binary_data_output":true},"inputs":[{{Input("x", "FP32", "[1]", "[1]")}}]}""");

        Assert.True(InferResponseWriter.BinaryByDefault(request));
        Assert.False(InferResponseWriter.BinaryByDefault(ReadJson(Request(Input("x", "FP32", "[1]", "[1]")))));
    }
}
