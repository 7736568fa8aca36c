using Inferd.Abstractions.Tensors;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Inferd.Backends.OnnxRuntime;

/// <summary>Maps protocol datatypes to ONNX Runtime element types and back.</summary>
internal static class ElementTypes
{
    public static TensorElementType ToOrt(DataType type) => type switch
    {
        DataType.Bool => TensorElementType.Bool,
        DataType.UInt8 => TensorElementType.UInt8,
        DataType.UInt16 => TensorElementType.UInt16,
        DataType.UInt32 => TensorElementType.UInt32,
        DataType.UInt64 => TensorElementType.UInt64,
        DataType.Int8 => TensorElementType.Int8,
        DataType.Int16 => TensorElementType.Int16,
        DataType.Int32 => TensorElementType.Int32,
        DataType.Int64 => TensorElementType.Int64,
        DataType.Fp16 => TensorElementType.Float16,
        DataType.Fp32 => TensorElementType.Float,
        DataType.Fp64 => TensorElementType.Double,
        DataType.Bytes => TensorElementType.String,
        DataType.Bf16 => TensorElementType.BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no ONNX element type"),
    };

    /// <summary>Returns <see cref="DataType.Invalid"/> for ONNX types the protocol cannot carry (complex, float8, int4).</summary>
    public static DataType FromOrt(TensorElementType type) => type switch
    {
        TensorElementType.Bool => DataType.Bool,
        TensorElementType.UInt8 => DataType.UInt8,
        TensorElementType.UInt16 => DataType.UInt16,
        TensorElementType.UInt32 => DataType.UInt32,
        TensorElementType.UInt64 => DataType.UInt64,
        TensorElementType.Int8 => DataType.Int8,
        TensorElementType.Int16 => DataType.Int16,
        TensorElementType.Int32 => DataType.Int32,
        TensorElementType.Int64 => DataType.Int64,
        TensorElementType.Float16 => DataType.Fp16,
        TensorElementType.Float => DataType.Fp32,
        TensorElementType.Double => DataType.Fp64,
        TensorElementType.String => DataType.Bytes,
        TensorElementType.BFloat16 => DataType.Bf16,
        _ => DataType.Invalid,
    };
}
