using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.Benchmarks;

/// <summary>
/// Request and response payloads of the sizes the suite uses (benchmarks.md): 4 floats (noop), 64 floats (mlp input)
/// and 150,528 floats (one 3×224×224 image). Values are deterministic.
/// </summary>
internal static class Payloads
{
    /// <summary>Elements of one 3×224×224 image.</summary>
    public const int Image = 3 * 224 * 224;

    /// <summary>The shape a tensor of <paramref name="elements"/> FP32 travels with: an image keeps its layout.</summary>
    public static long[] Shape(int elements) => elements == Image ? [1, 3, 224, 224] : [1, elements];

    /// <summary>Deterministic floats in [-1, 1): what a real input looks like in text (many digits).</summary>
    public static float[] Floats(int count, int seed = 1)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() * 2f) - 1f;
        }

        return values;
    }

    /// <summary>The little-endian bytes of <paramref name="values"/>: the protocol's binary layout.</summary>
    public static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>A plain JSON <c>$inference_request</c> with one FP32 input and its data inline.</summary>
    public static byte[] JsonRequest(string input, float[] values)
    {
        var text = new StringBuilder();
        text.Append("{\"id\":\"bench-1\",\"inputs\":[{\"name\":\"").Append(input).Append("\",\"shape\":")
            .Append(ShapeJson(values.Length)).Append(",\"datatype\":\"FP32\",\"data\":[");
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(values[i].ToString("R", CultureInfo.InvariantCulture));
        }

        text.Append("]}]}");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// A binary-extension request: the JSON header (input with <c>binary_data_size</c>, binary outputs) followed by
    /// the tensor bytes. Returns the body and the <c>Inference-Header-Content-Length</c> value.
    /// </summary>
    public static (byte[] Body, string HeaderLength) BinaryRequest(string input, string output, float[] values)
    {
        var data = Bytes(values);
        var header = Encoding.UTF8.GetBytes(
            "{\"id\":\"bench-1\",\"inputs\":[{\"name\":\"" + input + "\",\"shape\":" + ShapeJson(values.Length)
            + ",\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":" + data.Length.ToString(CultureInfo.InvariantCulture)
            + "}}],\"outputs\":[{\"name\":\"" + output + "\",\"parameters\":{\"binary_data\":true}}]}");
        var body = new byte[header.Length + data.Length];
        header.CopyTo(body, 0);
        data.CopyTo(body, header.Length);
        return (body, header.Length.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A gRPC request with the tensor in typed <c>contents.fp32_contents</c>.</summary>
    public static ModelInferRequest GrpcTyped(string model, string input, float[] values)
    {
        var request = GrpcHeader(model, input, values.Length);
        request.Inputs[0].Contents = new InferTensorContents();
        request.Inputs[0].Contents.Fp32Contents.AddRange(values);
        return request;
    }

    /// <summary>A gRPC request with the tensor in <c>raw_input_contents</c>.</summary>
    public static ModelInferRequest GrpcRaw(string model, string input, float[] values)
    {
        var request = GrpcHeader(model, input, values.Length);
        request.RawInputContents.Add(ByteString.CopyFrom(Bytes(values)));
        return request;
    }

    /// <summary>An <see cref="InferenceRequest"/> as a decoder produces it: one FP32 input, no parameters.</summary>
    public static InferenceRequest Request(string model, string input, float[] values) =>
        new(model, null, "bench-1", [new InferenceTensor(input, DataType.Fp32, Shape(values.Length), Bytes(values))], [], new Dictionary<string, ParameterValue>());

    /// <summary>An <see cref="InferenceResponse"/> as the facade returns it: one FP32 output, no output request.</summary>
    public static InferenceResponse Response(string model, string output, float[] values) =>
        new(model, "1", "bench-1", [new InferenceTensor(output, DataType.Fp32, Shape(values.Length), Bytes(values))], [null]);

    private static ModelInferRequest GrpcHeader(string model, string input, int elements)
    {
        var request = new ModelInferRequest { ModelName = model, Id = "bench-1" };
        var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input, Datatype = "FP32" };
        tensor.Shape.AddRange(Shape(elements));
        request.Inputs.Add(tensor);
        return request;
    }

    private static string ShapeJson(int elements) => "[" + string.Join(',', Shape(elements)) + "]";
}
