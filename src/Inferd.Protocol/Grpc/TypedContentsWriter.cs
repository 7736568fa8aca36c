using System.Buffers.Binary;
using Google.Protobuf;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.Protocol.Grpc;

/// <summary>Decodes a tensor in the binary layout into typed <see cref="InferTensorContents"/>.</summary>
internal static class TypedContentsWriter
{
    /// <summary>Fills the typed field of the tensor's datatype. FP16/BF16 are not supported here (raw only).</summary>
    public static InferTensorContents Write(InferenceTensor tensor)
    {
        var contents = new InferTensorContents();
        var span = tensor.Data.Span;
        var size = tensor.DataType.ElementSize();
        var count = size == 0 ? 0 : span.Length / size;
        switch (tensor.DataType)
        {
            case DataType.Bool:
                for (var i = 0; i < count; i++)
                {
                    contents.BoolContents.Add(span[i] != 0);
                }

                break;
            case DataType.Int8:
                for (var i = 0; i < count; i++)
                {
                    contents.IntContents.Add((sbyte)span[i]);
                }

                break;
            case DataType.Int16:
                for (var i = 0; i < count; i++)
                {
                    contents.IntContents.Add(BinaryPrimitives.ReadInt16LittleEndian(span[(i * 2)..]));
                }

                break;
            case DataType.Int32:
                for (var i = 0; i < count; i++)
                {
                    contents.IntContents.Add(BinaryPrimitives.ReadInt32LittleEndian(span[(i * 4)..]));
                }

                break;
            case DataType.Int64:
                for (var i = 0; i < count; i++)
                {
                    contents.Int64Contents.Add(BinaryPrimitives.ReadInt64LittleEndian(span[(i * 8)..]));
                }

                break;
            case DataType.UInt8:
                for (var i = 0; i < count; i++)
                {
                    contents.UintContents.Add(span[i]);
                }

                break;
            case DataType.UInt16:
                for (var i = 0; i < count; i++)
                {
                    contents.UintContents.Add(BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 2)..]));
                }

                break;
            case DataType.UInt32:
                for (var i = 0; i < count; i++)
                {
                    contents.UintContents.Add(BinaryPrimitives.ReadUInt32LittleEndian(span[(i * 4)..]));
                }

                break;
            case DataType.UInt64:
                for (var i = 0; i < count; i++)
                {
                    contents.Uint64Contents.Add(BinaryPrimitives.ReadUInt64LittleEndian(span[(i * 8)..]));
                }

                break;
            case DataType.Fp32:
                for (var i = 0; i < count; i++)
                {
                    contents.Fp32Contents.Add(BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]));
                }

                break;
            case DataType.Fp64:
                for (var i = 0; i < count; i++)
                {
                    contents.Fp64Contents.Add(BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]));
                }

                break;
            case DataType.Bytes:
                if (!BytesTensor.TryCountElements(span, out _))
                {
                    throw new InferenceException(InferenceErrorKind.Internal, "an output BYTES tensor is malformed");
                }

                foreach (var element in BytesTensor.Split(tensor.Data))
                {
                    contents.BytesContents.Add(ByteString.CopyFrom(element.Span));
                }

                break;
            default:
                throw new InferenceException(InferenceErrorKind.Internal, "an output datatype has no typed contents field");
        }

        return contents;
    }
}
