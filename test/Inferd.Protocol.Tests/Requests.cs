using Google.Protobuf;
using Inferd.Protocol.V2;
using static Inferd.Protocol.V2.ModelInferRequest.Types;

namespace Inferd.Protocol.Tests;

/// <summary>Builders for wire requests used across the mapper tests.</summary>
internal static class Requests
{
    public static InferInputTensor Input(string name, string datatype, params long[] shape)
    {
        var input = new InferInputTensor { Name = name, Datatype = datatype };
        input.Shape.AddRange(shape);
        return input;
    }

    public static ModelInferRequest WithInputs(params InferInputTensor[] inputs)
    {
        var request = new ModelInferRequest { ModelName = "m", Id = "req-1" };
        request.Inputs.AddRange(inputs);
        return request;
    }

    public static ModelInferRequest Raw(string datatype, long[] shape, byte[] data)
    {
        var request = WithInputs(Input("x", datatype, shape));
        request.RawInputContents.Add(ByteString.CopyFrom(data));
        return request;
    }
}
