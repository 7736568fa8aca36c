using Inferd.Abstractions.Tensors;
using Onnx;

namespace Inferd.Testing.Models;

/// <summary>Maps protocol <see cref="DataType"/>s onto ONNX <c>TensorProto.DataType</c> codes and back.</summary>
public static class OnnxElementTypes
{
    /// <summary>The ONNX element type of a protocol type; BYTES maps to ONNX STRING.</summary>
    public static TensorProto.Types.DataType ToOnnx(DataType type) => type switch
    {
        DataType.Bool => TensorProto.Types.DataType.Bool,
        DataType.UInt8 => TensorProto.Types.DataType.Uint8,
        DataType.UInt16 => TensorProto.Types.DataType.Uint16,
        DataType.UInt32 => TensorProto.Types.DataType.Uint32,
        DataType.UInt64 => TensorProto.Types.DataType.Uint64,
        DataType.Int8 => TensorProto.Types.DataType.Int8,
        DataType.Int16 => TensorProto.Types.DataType.Int16,
        DataType.Int32 => TensorProto.Types.DataType.Int32,
        DataType.Int64 => TensorProto.Types.DataType.Int64,
        DataType.Fp16 => TensorProto.Types.DataType.Float16,
        DataType.Fp32 => TensorProto.Types.DataType.Float,
        DataType.Fp64 => TensorProto.Types.DataType.Double,
        DataType.Bytes => TensorProto.Types.DataType.String,
        DataType.Bf16 => TensorProto.Types.DataType.Bfloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No ONNX element type."),
    };

    /// <summary>
    /// The protocol type of an ONNX element type code, or false for types the protocol cannot carry
    /// (complex, float8, int4/uint4, float4, undefined).
    /// </summary>
    public static bool TryFromOnnx(int onnxType, out DataType type)
    {
        type = (TensorProto.Types.DataType)onnxType switch
        {
            TensorProto.Types.DataType.Bool => DataType.Bool,
            TensorProto.Types.DataType.Uint8 => DataType.UInt8,
            TensorProto.Types.DataType.Uint16 => DataType.UInt16,
            TensorProto.Types.DataType.Uint32 => DataType.UInt32,
            TensorProto.Types.DataType.Uint64 => DataType.UInt64,
            TensorProto.Types.DataType.Int8 => DataType.Int8,
            TensorProto.Types.DataType.Int16 => DataType.Int16,
            TensorProto.Types.DataType.Int32 => DataType.Int32,
            TensorProto.Types.DataType.Int64 => DataType.Int64,
            TensorProto.Types.DataType.Float16 => DataType.Fp16,
            TensorProto.Types.DataType.Float => DataType.Fp32,
            TensorProto.Types.DataType.Double => DataType.Fp64,
            TensorProto.Types.DataType.String => DataType.Bytes,
            TensorProto.Types.DataType.Bfloat16 => DataType.Bf16,
            _ => DataType.Invalid,
        };
        return type != DataType.Invalid;
    }

    /// <summary>The ONNX spelling of an element type code, e.g. <c>COMPLEX64</c>, for skip reasons.</summary>
    public static string OnnxName(int onnxType) =>
        Enum.IsDefined((TensorProto.Types.DataType)onnxType)
            ? ((TensorProto.Types.DataType)onnxType).ToString().ToUpperInvariant()
            : "ONNX type " + onnxType.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
