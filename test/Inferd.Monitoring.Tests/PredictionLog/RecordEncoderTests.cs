using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Tensors;
using Inferd.Monitoring.PredictionLog;
using TensorType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.Monitoring.Tests.PredictionLog;

public sealed class RecordEncoderTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("test-key");

    [Fact]
    public void Encode_PlainRequest_KeepsIdsCallerVersionLatencyAndTensors()
    {
        var observation = Observations.Make("req-1", [Observations.Fp32("x", 0.5f, -2f), Observations.Strings("name", "Zoë")], caller: "alice");

        var record = new RecordEncoder(Key).Encode(observation)!;

        Assert.Equal(("req-1", "m", "3", Records.Start, 1500L, "alice"), (record.RequestId, record.Model, record.Version, record.Timestamp, record.LatencyUs, record.Caller));
        Assert.True(Records.SameJson(
            """{"x":{"datatype":"FP32","shape":[1,2],"data":[0.5,-2]},"name":{"datatype":"BYTES","shape":[1],"data":["Zoë"]}}""",
            record.InputsJson), record.InputsJson);
        Assert.True(Records.SameJson("""{"score":{"datatype":"FP32","shape":[1,1],"data":[0.25]}}""", record.OutputsJson), record.OutputsJson);
    }

    [Fact]
    public void Encode_EveryDatatype_WritesReadableValues()
    {
        var half = new byte[4];
        BitConverter.TryWriteBytes(half.AsSpan(0, 2), (Half)1.5f);
        BitConverter.TryWriteBytes(half.AsSpan(2, 2), Half.NaN);
        var tensors = new[]
        {
            new InferenceTensor("b", TensorType.Bool, [2], new byte[] { 1, 0 }),
            new InferenceTensor("u8", TensorType.UInt8, [1], new byte[] { 200 }),
            new InferenceTensor("i32", TensorType.Int32, [1], BitConverter.GetBytes(-7)),
            new InferenceTensor("f16", TensorType.Fp16, [2], half),
            new InferenceTensor("f64", TensorType.Fp64, [2], BitConverter.GetBytes(0.1).Concat(BitConverter.GetBytes(double.PositiveInfinity)).ToArray()),
            new InferenceTensor("raw", TensorType.Bytes, [2], BytesTensor.Encode([new byte[] { 0xff, 0x00 }, "ok"u8.ToArray()])),
            Observations.Int64("i64", 35, long.MinValue),
        };

        var record = new RecordEncoder(Key).Encode(Observations.Make("r", tensors))!;

        Assert.True(Records.SameJson(
            """
            {"b":{"datatype":"BOOL","shape":[2],"data":[true,false]},
             "u8":{"datatype":"UINT8","shape":[1],"data":[200]},
             "i32":{"datatype":"INT32","shape":[1],"data":[-7]},
             "f16":{"datatype":"FP16","shape":[2],"data":[1.5,"NaN"]},
             "f64":{"datatype":"FP64","shape":[2],"data":[0.1,"Infinity"]},
             "raw":{"datatype":"BYTES","shape":[2],"encoding":"base64","data":["/wA=","b2s="]},
             "i64":{"datatype":"INT64","shape":[2,1],"data":[35,-9223372036854775808]}}
            """,
            record.InputsJson), record.InputsJson);
    }

    [Fact]
    public void Encode_RedactedName_KeepsShapeAndDatatypeWithoutData()
    {
        const string Monitoring = """{"log":{"redact":["email","score"]}}""";

        var record = new RecordEncoder(Key).Encode(Observations.Make("r", [Observations.Strings("email", "a@b.example"), Observations.Fp32("x", 1f)], monitoring: Monitoring))!;

        Assert.True(Records.SameJson(
            """{"email":{"datatype":"BYTES","shape":[1],"redacted":true},"x":{"datatype":"FP32","shape":[1,1],"data":[1]}}""", record.InputsJson), record.InputsJson);
        Assert.True(Records.SameJson("""{"score":{"datatype":"FP32","shape":[1,1],"redacted":true}}""", record.OutputsJson), record.OutputsJson);
        Assert.DoesNotContain("a@b.example", record.InputsJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_HashedName_EqualValuesHashEquallyUnderOneKeyOnly()
    {
        const string Monitoring = """{"log":{"hash":["user","age"]}}""";
        var tensors = new[] { Observations.Strings("user", "ann", "bob", "ann"), Observations.Int64("age", 35, 35, 40) };

        var first = Data(new RecordEncoder(Key).Encode(Observations.Make("r", tensors, monitoring: Monitoring))!.InputsJson);
        var again = Data(new RecordEncoder(Key).Encode(Observations.Make("r", tensors, monitoring: Monitoring))!.InputsJson);
        var otherKey = Data(new RecordEncoder(Encoding.UTF8.GetBytes("other-key")).Encode(Observations.Make("r", tensors, monitoring: Monitoring))!.InputsJson);

        var users = first["user"];
        Assert.All(users.Concat(first["age"]), h => Assert.Matches("^h:[0-9a-f]{32}$", h));
        Assert.Equal(users[0], users[2]);
        Assert.NotEqual(users[0], users[1]);
        Assert.Equal(first["age"][0], first["age"][1]);
        Assert.NotEqual(first["age"][0], first["age"][2]);
        Assert.Equal(first["user"], again["user"]);
        Assert.Empty(first["user"].Intersect(otherKey["user"]));
    }

    [Fact]
    public void Encode_TensorOverTheElementCap_LogsShapeWithoutData()
    {
        const string Monitoring = """{"log":{"max_tensor_elements":3}}""";

        var record = new RecordEncoder(Key).Encode(Observations.Make("r", [Observations.Fp32("big", 1, 2, 3, 4), Observations.Fp32("small", 1, 2, 3)], monitoring: Monitoring))!;

        Assert.True(Records.SameJson(
            """{"big":{"datatype":"FP32","shape":[1,4],"too_large":true},"small":{"datatype":"FP32","shape":[1,3],"data":[1,2,3]}}""", record.InputsJson), record.InputsJson);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.05)]
    public void Encode_SampleRate_LogsThatFractionWithinThreeSigma(double rate)
    {
        const int N = 10_000;
        var encoder = new RecordEncoder(Key);
        var monitoring = """{"log":{"sample_rate":""" + rate.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}";

        // Sequential ids are the worst case for a weak hash.
        var logged = Enumerable.Range(0, N).Count(i => encoder.Encode(Observations.Make("req-" + i, [Observations.Fp32("x", i)], monitoring: monitoring)) is not null);

        var sigma = Math.Sqrt(N * rate * (1 - rate));
        TestContext.Current.TestOutputHelper?.WriteLine($"sample_rate {rate}: {logged} of {N} logged (expected {N * rate} ± {3 * sigma:F0})");
        Assert.InRange(logged, N * rate - 3 * sigma, N * rate + 3 * sigma);
    }

    [Fact]
    public void Encode_SampleRateZeroOrOne_LogsNoneOrAll()
    {
        var encoder = new RecordEncoder(Key);
        var ids = Enumerable.Range(0, 1_000).Select(i => Guid.NewGuid().ToString()).ToArray();

        var none = ids.Count(id => encoder.Encode(Observations.Make(id, [], monitoring: """{"log":{"sample_rate":0}}""")) is not null);
        var all = ids.Count(id => encoder.Encode(Observations.Make(id, [], monitoring: """{"log":{"sample_rate":1}}""")) is not null);

        Assert.Equal((0, 1_000), (none, all));
    }

    [Fact]
    public void IsSampled_SameRequestId_SameDecision()
    {
        var ids = Enumerable.Range(0, 2_000).Select(i => "retry-" + i).ToArray();

        var first = ids.Select(id => LogSampler.IsSampled(id, 0.5)).ToArray();
        var second = ids.Select(id => LogSampler.IsSampled(id, 0.5)).ToArray();

        Assert.Equal(first, second);
    }

    private static Dictionary<string, string[]> Data(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.GetProperty("data").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }
}
