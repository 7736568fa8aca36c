namespace Inferd.Abstractions.Tensors;

/// <summary>Element types of the Open Inference Protocol (protocol.md §5).</summary>
public enum DataType
{
    /// <summary>Unknown or unset.</summary>
    Invalid = 0,
    /// <summary>One byte, 0 or 1.</summary>
    Bool,
    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8,
    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16,
    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32,
    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64,
    /// <summary>Signed 8-bit integer.</summary>
    Int8,
    /// <summary>Signed 16-bit integer.</summary>
    Int16,
    /// <summary>Signed 32-bit integer.</summary>
    Int32,
    /// <summary>Signed 64-bit integer.</summary>
    Int64,
    /// <summary>IEEE half precision; binary or raw transport only.</summary>
    Fp16,
    /// <summary>IEEE single precision.</summary>
    Fp32,
    /// <summary>IEEE double precision.</summary>
    Fp64,
    /// <summary>Variable-length byte strings, each a 4-byte little-endian length plus bytes.</summary>
    Bytes,
    /// <summary>bfloat16; binary or raw transport only.</summary>
    Bf16,
}
