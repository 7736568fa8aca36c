using System.Buffers.Binary;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Onnx;
using SkiaSharp;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.Explain.Tests.Lime;

/// <summary>Models, pictures and rows for the LIME tests, written by hand so each explanation is known.</summary>
internal static class LimeModels
{
    /// <summary>y = features·coef + bias in FP32: input <c>features</c> float [N, F], output <c>y</c> float [N, 1].</summary>
    public static byte[] LinearFloat(float[] coef, float bias) => Serialize(Graph(
        "linear32",
        [Node("MatMul", ["features", "W"], ["xw"]), Node("Add", ["xw", "B"], ["y"])],
        [Value("features", DataType.Fp32, [-1, coef.Length])],
        [Value("y", DataType.Fp32, [-1, 1])],
        [FloatTensor("W", [coef.Length, 1], coef), FloatTensor("B", [1], [bias])]));

    /// <summary>
    /// The mean of channel 0 over the top-left quadrant of an NCHW picture: input <c>tensor</c> float [N, 3, S, S],
    /// output <c>y</c> float [N, 1].
    /// </summary>
    public static byte[] TopLeftRed(int side) => Serialize(Graph(
        "top_left_red",
        [
            Node("Slice", ["tensor", "starts", "ends", "axes"], ["quadrant"]),
            Node("ReduceMean", ["quadrant"], ["mean"], IntsAttribute("axes", 1, 2, 3), IntAttribute("keepdims", 1)),
            Node("Flatten", ["mean"], ["y"], IntAttribute("axis", 1)),
        ],
        [Value("tensor", DataType.Fp32, [-1, 3, side, side])],
        [Value("y", DataType.Fp32, [-1, 1])],
        [Int64Tensor("starts", [3], [0, 0, 0]), Int64Tensor("ends", [3], [1, side / 2, side / 2]), Int64Tensor("axes", [3], [1, 2, 3])]));

    /// <summary>The text_hash bucket of a lower-case word: FNV-1a 32-bit of its UTF-8 bytes, masked to the dimensions.</summary>
    public static int Bucket(string word, int dimensions)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(word))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash & (uint)(dimensions - 1));
    }

    /// <summary>
    /// A 64 × 64 PNG of sixteen 16 × 16 tiles: four shades of red in the top-left quadrant, greens top right, blues
    /// bottom left and greys bottom right.
    /// </summary>
    public static byte[] Tiles()
    {
        SKColor[] reds = [new(255, 0, 0), new(200, 40, 40), new(230, 20, 90), new(160, 0, 20)];
        SKColor[] greens = [new(0, 200, 0), new(40, 120, 40), new(90, 230, 90), new(20, 90, 60)];
        SKColor[] blues = [new(0, 0, 255), new(40, 40, 160), new(90, 120, 230), new(20, 60, 120)];
        SKColor[] greys = [new(60, 60, 60), new(120, 120, 120), new(180, 180, 180), new(240, 240, 240)];
        using var bitmap = new SKBitmap(new SKImageInfo(64, 64, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(bitmap))
        {
            for (var ty = 0; ty < 4; ty++)
            {
                for (var tx = 0; tx < 4; tx++)
                {
                    var quadrant = (ty < 2 ? 0 : 2) + (tx < 2 ? 0 : 1);
                    var shades = quadrant switch { 0 => reds, 1 => greens, 2 => blues, _ => greys };
                    using var paint = new SKPaint { Color = shades[((ty % 2) * 2) + (tx % 2)] };
                    canvas.DrawRect(new SKRect(tx * 16, ty * 16, (tx + 1) * 16, (ty + 1) * 16), paint);
                }
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A one-row BYTES tensor holding <paramref name="value"/>.</summary>
    public static InferenceTensor Bytes(string name, byte[] value)
    {
        var data = new byte[4 + value.Length];
        BinaryPrimitives.WriteInt32LittleEndian(data, value.Length);
        value.CopyTo(data, 4);
        return new InferenceTensor(name, DataType.Bytes, [1], data);
    }

    /// <summary>A one-row FP32 tensor holding <paramref name="value"/>.</summary>
    public static InferenceTensor Float(string name, float value)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(data, value);
        return new InferenceTensor(name, DataType.Fp32, [1], data);
    }

    /// <summary>An explanation request for one row of the given tensors.</summary>
    public static ExplanationRequest Row(string model, params InferenceTensor[] inputs) =>
        new(new InferenceRequest(model, null, null, inputs, [], new Dictionary<string, ParameterValue>()));
}
