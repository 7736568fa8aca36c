using System.Buffers.Binary;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using TensorType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.Monitoring.Tests.PredictionLog;

/// <summary>Answered requests as the facade hands them to observers.</summary>
internal static class Observations
{
    public static InferenceTensor Fp32(string name, params float[] values)
    {
        var data = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), values[i]);
        }

        return new InferenceTensor(name, TensorType.Fp32, [1, values.Length], data);
    }

    public static InferenceTensor Int64(string name, params long[] values)
    {
        var data = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * 8), values[i]);
        }

        return new InferenceTensor(name, TensorType.Int64, [values.Length, 1], data);
    }

    public static InferenceTensor Strings(string name, params string[] values) =>
        new(name, TensorType.Bytes, [values.Length], BytesTensor.EncodeStrings(values));

    public static InferenceObservation Make(
        string requestId,
        IReadOnlyList<InferenceTensor> inputs,
        IReadOnlyList<InferenceTensor>? outputs = null,
        string? monitoring = null,
        string? caller = null,
        string model = "m",
        string version = "3") =>
        new(
            new InferenceRequest(model, null, requestId, inputs, [], new Dictionary<string, ParameterValue>()) { Caller = caller },
            new InferenceResponse(model, version, requestId, outputs ?? [Fp32("score", 0.25f)], []),
            new ModelConfig { Name = model, Monitoring = monitoring },
            requestId,
            1_500_000,
            Records.Start,
            FromCache: false);
}
