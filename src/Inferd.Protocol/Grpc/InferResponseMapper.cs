using Google.Protobuf;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.Protocol.Grpc;

/// <summary>Converts an <see cref="InferenceResponse"/> into a <see cref="ModelInferResponse"/>.</summary>
public static class InferResponseMapper
{
    /// <summary>Builds the wire response; outputs keep their order and carry no parameters.</summary>
    /// <param name="response">The facade's response.</param>
    /// <param name="mode">Raw (default) or typed output contents.</param>
    public static ModelInferResponse ToProto(this InferenceResponse response, OutputContentsMode mode = OutputContentsMode.Raw)
    {
        var typed = mode == OutputContentsMode.Typed && response.Outputs.All(o => o.DataType is not (DataType.Fp16 or DataType.Bf16));
        var proto = new ModelInferResponse
        {
            ModelName = response.ModelName,
            ModelVersion = response.ModelVersion,
            Id = response.Id ?? "",
        };

        foreach (var output in response.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor
            {
                Name = output.Name,
                Datatype = output.DataType.ToWireName(),
            };
            tensor.Shape.AddRange(output.Shape);
            if (typed)
            {
                tensor.Contents = TypedContentsWriter.Write(output);
            }
            else
            {
                // No copy: the response owns its output buffers and never reuses them (it is not disposable).
                proto.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(output.Data));
            }

            proto.Outputs.Add(tensor);
        }

        return proto;
    }
}
