using System.Runtime.InteropServices;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Processing.Tensors;

/// <summary>
/// Typed views over <see cref="InferenceTensor"/> data for steps. Views reinterpret the bytes in place (the protocol's
/// layout is little-endian, as is every platform .NET 10 runs on), so reading a tensor never copies it.
/// </summary>
internal static class TensorData
{
    /// <summary>The FP32 elements of a tensor, without a copy.</summary>
    public static ReadOnlySpan<float> Floats(InferenceTensor tensor) =>
        tensor.DataType == DataType.Fp32 ? MemoryMarshal.Cast<byte, float>(tensor.Data.Span) : throw WrongType(tensor, "FP32");

    /// <summary>The INT64 elements of a tensor, without a copy.</summary>
    public static ReadOnlySpan<long> Int64s(InferenceTensor tensor) =>
        tensor.DataType == DataType.Int64 ? MemoryMarshal.Cast<byte, long>(tensor.Data.Span) : throw WrongType(tensor, "INT64");

    /// <summary>A new FP32 tensor and its writable elements.</summary>
    public static InferenceTensor NewFloats(string name, long[] shape, out Span<float> elements)
    {
        var buffer = new byte[checked(Count(shape) * sizeof(float))];
        elements = MemoryMarshal.Cast<byte, float>(buffer.AsSpan());
        return new InferenceTensor(name, DataType.Fp32, shape, buffer);
    }

    /// <summary>A new INT64 tensor and its writable elements.</summary>
    public static InferenceTensor NewInt64s(string name, long[] shape, out Span<long> elements)
    {
        var buffer = new byte[checked(Count(shape) * sizeof(long))];
        elements = MemoryMarshal.Cast<byte, long>(buffer.AsSpan());
        return new InferenceTensor(name, DataType.Int64, shape, buffer);
    }

    /// <summary>A new BOOL tensor and its writable elements (one byte each, 0 or 1).</summary>
    public static InferenceTensor NewBools(string name, long[] shape, out Span<byte> elements)
    {
        var buffer = new byte[checked(Count(shape))];
        elements = buffer;
        return new InferenceTensor(name, DataType.Bool, shape, buffer);
    }

    /// <summary>A BYTES tensor of UTF-8 strings.</summary>
    public static InferenceTensor Strings(string name, long[] shape, IReadOnlyList<string> values) =>
        new(name, DataType.Bytes, shape, BytesTensor.EncodeStrings(values));

    /// <summary>The elements of a BYTES tensor as slices of its buffer (no copies).</summary>
    public static ReadOnlyMemory<byte>[] Elements(InferenceTensor tensor) =>
        tensor.DataType == DataType.Bytes ? BytesTensor.Split(tensor.Data) : throw WrongType(tensor, "BYTES");

    /// <summary>Decodes a BYTES element as UTF-8; invalid UTF-8 is a 400 naming the field and row.</summary>
    public static string Utf8(ReadOnlyMemory<byte> element, string field, int row)
    {
        try
        {
            return Strict.GetString(element.Span);
        }
        catch (DecoderFallbackException)
        {
            throw InferenceException.Invalid($"field '{field}' row {row}: not valid UTF-8 text");
        }
    }

    /// <summary>
    /// Reads element <paramref name="index"/> of a numeric or BOOL tensor as a double (tabular fields arrive in whatever
    /// numeric type the client chose).
    /// </summary>
    public static double ReadNumber(InferenceTensor tensor, long index) =>
        tensor.DataType.TryRead(tensor.Data.Span, checked((int)index), out var value)
            ? value
            : throw InferenceException.Invalid($"field '{tensor.Name}' must be numeric, got {tensor.DataType.ToWireName()}");

    /// <summary>The batch size (first dimension) of a tensor.</summary>
    public static int BatchSize(InferenceTensor tensor) =>
        tensor.Shape.Length > 0 ? checked((int)tensor.Shape[0]) : throw InferenceException.Invalid($"field '{tensor.Name}' has no batch dimension");

    /// <summary>Element count of a validated shape.</summary>
    public static long Count(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            count = checked(count * d);
        }

        return count;
    }

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static InferenceException WrongType(InferenceTensor tensor, string expected) =>
        InferenceException.Invalid($"field '{tensor.Name}' must be {expected}, got {tensor.DataType.ToWireName()}");
}
