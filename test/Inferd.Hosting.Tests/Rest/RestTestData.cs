using System.Text;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Hosting.Rest;

namespace Inferd.Hosting.Tests.Rest;

/// <summary>Builds request bodies and reads them with the codec, without a server.</summary>
internal static class RestTestData
{
    public static readonly RequestLimits Limits = new();

    public static InferenceRequest ReadJson(string json, RequestLimits? limits = null) =>
        InferRequestReader.Read(Encoding.UTF8.GetBytes(json), null, "m", null, limits ?? Limits, NoRaw);

    public static InferenceRequest ReadBinary(string json, params byte[][] parts)
    {
        var (body, header) = Binary(json, parts);
        return InferRequestReader.Read(body, header, "m", null, Limits, NoRaw);
    }

    public static (byte[] Body, string Header) Binary(string json, params byte[][] parts)
    {
        var head = Encoding.UTF8.GetBytes(json);
        var body = head.Concat(parts.SelectMany(p => p)).ToArray();
        return (body, head.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static string Input(string name, string datatype, string shape, string data) =>
        $$"""{"name":"{{name}}","datatype":"{{datatype}}","shape":{{shape}},"data":{{data}}}""";

    public static string Request(params string[] inputs) => $$"""{"inputs":[{{string.Join(",", inputs)}}]}""";

    public static InferenceException Invalid(Action act)
    {
        var error = Assert.Throws<InferenceException>(act);
        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        return error;
    }

    public static RawInputSpec NoRaw() => throw new InvalidOperationException("raw mode not expected");

    public static RawInputSpec Raw(DataType type, bool batches, params long[] shape) =>
        new([new TensorSignature("in", type, shape)], batches);
}
