using System.Buffers.Binary;
using System.Globalization;
using Inferd.Abstractions.Tensors;

namespace Inferd.Testing.Conformance;

/// <summary>
/// Compares outputs the way ONNX's backend tests do (numpy <c>assert_allclose</c>): floating types pass when
/// |actual − expected| ≤ atol + rtol·|expected|, NaN equals NaN and infinities must match exactly; integers, BOOL
/// and BYTES must be identical.
/// </summary>
public static class ConformanceComparer
{
    /// <summary>ONNX backend test default relative tolerance.</summary>
    public const double DefaultRtol = 1e-3;

    /// <summary>ONNX backend test default absolute tolerance.</summary>
    public const double DefaultAtol = 1e-7;

    private const int MaxReported = 3;

    /// <summary>Compares two tensors; returns null when they match, otherwise a message naming the first differences.</summary>
    public static string? Compare(InferenceTensor expected, InferenceTensor actual, double rtol = DefaultRtol, double atol = DefaultAtol)
    {
        if (expected.DataType != actual.DataType)
        {
            return $"'{expected.Name}': datatype {actual.DataType.ToWireName()}, expected {expected.DataType.ToWireName()}";
        }

        if (!expected.Shape.AsSpan().SequenceEqual(actual.Shape))
        {
            return $"'{expected.Name}': shape {TensorShape.Format(actual.Shape)}, expected {TensorShape.Format(expected.Shape)}";
        }

        return expected.DataType switch
        {
            DataType.Fp16 or DataType.Fp32 or DataType.Fp64 or DataType.Bf16 => CompareFloating(expected, actual, rtol, atol),
            DataType.Bytes => CompareBytes(expected, actual),
            _ => CompareExact(expected, actual),
        };
    }

    /// <summary>
    /// Compares output lists position by position (the conformance files are ordered like the graph outputs).
    /// Returns null when all match, otherwise every mismatch on its own line.
    /// </summary>
    public static string? Compare(IReadOnlyList<InferenceTensor> expected, IReadOnlyList<InferenceTensor> actual, double rtol = DefaultRtol, double atol = DefaultAtol)
    {
        if (expected.Count != actual.Count)
        {
            return $"{actual.Count} outputs, expected {expected.Count}";
        }

        var messages = expected.Zip(actual).Select(p => Compare(p.First, p.Second, rtol, atol)).OfType<string>().ToArray();
        return messages.Length == 0 ? null : string.Join(Environment.NewLine, messages);
    }

    private static string? CompareFloating(InferenceTensor expected, InferenceTensor actual, double rtol, double atol)
    {
        var e = ToDoubles(expected);
        var a = ToDoubles(actual);
        if (e.Length != a.Length)
        {
            return $"'{expected.Name}': {a.Length} elements, expected {e.Length}";
        }

        var mismatches = new List<string>();
        var count = 0;
        var maxDiff = 0.0;
        for (var i = 0; i < e.Length; i++)
        {
            if (Close(e[i], a[i], rtol, atol))
            {
                continue;
            }

            count++;
            maxDiff = Math.Max(maxDiff, Math.Abs(a[i] - e[i]));
            if (mismatches.Count < MaxReported)
            {
                mismatches.Add(string.Create(CultureInfo.InvariantCulture, $"[{i}] {a[i]:R} vs {e[i]:R}"));
            }
        }

        return count == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"'{expected.Name}': {count}/{e.Length} elements differ (rtol {rtol}, atol {atol}, max |diff| {maxDiff:G4}): {string.Join(", ", mismatches)}");
    }

    private static bool Close(double expected, double actual, double rtol, double atol)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return expected == actual;
        }

        return Math.Abs(actual - expected) <= atol + rtol * Math.Abs(expected);
    }

    private static double[] ToDoubles(InferenceTensor tensor)
    {
        var span = tensor.Data.Span;
        var size = tensor.DataType.ElementSize();
        var values = new double[span.Length / size];
        for (var i = 0; i < values.Length; i++)
        {
            var element = span.Slice(i * size, size);
            values[i] = tensor.DataType switch
            {
                DataType.Fp16 => (double)BinaryPrimitives.ReadHalfLittleEndian(element),
                DataType.Bf16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(element) << 16),
                DataType.Fp32 => BinaryPrimitives.ReadSingleLittleEndian(element),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(element),
            };
        }

        return values;
    }

    private static string? CompareExact(InferenceTensor expected, InferenceTensor actual)
    {
        var e = expected.Data.Span;
        var a = actual.Data.Span;
        if (e.SequenceEqual(a))
        {
            return null;
        }

        if (e.Length != a.Length)
        {
            return $"'{expected.Name}': {a.Length} bytes, expected {e.Length}";
        }

        var size = expected.DataType.ElementSize();
        var mismatches = new List<string>();
        var count = 0;
        for (var i = 0; i < e.Length / size; i++)
        {
            var ee = e.Slice(i * size, size);
            var aa = a.Slice(i * size, size);
            if (ee.SequenceEqual(aa))
            {
                continue;
            }

            count++;
            if (mismatches.Count < MaxReported)
            {
                mismatches.Add($"[{i}] {FormatInteger(expected.DataType, aa)} vs {FormatInteger(expected.DataType, ee)}");
            }
        }

        return $"'{expected.Name}': {count}/{e.Length / size} elements differ: {string.Join(", ", mismatches)}";
    }

    private static string FormatInteger(DataType type, ReadOnlySpan<byte> element) => type switch
    {
        DataType.Bool or DataType.UInt8 => element[0].ToString(CultureInfo.InvariantCulture),
        DataType.Int8 => ((sbyte)element[0]).ToString(CultureInfo.InvariantCulture),
        DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(element).ToString(CultureInfo.InvariantCulture),
        DataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(element).ToString(CultureInfo.InvariantCulture),
        DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(element).ToString(CultureInfo.InvariantCulture),
        DataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(element).ToString(CultureInfo.InvariantCulture),
        DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(element).ToString(CultureInfo.InvariantCulture),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(element).ToString(CultureInfo.InvariantCulture),
    };

    private static string? CompareBytes(InferenceTensor expected, InferenceTensor actual)
    {
        var e = BytesTensor.Split(expected.Data);
        var a = BytesTensor.Split(actual.Data);
        if (e.Length != a.Length)
        {
            return $"'{expected.Name}': {a.Length} elements, expected {e.Length}";
        }

        var differing = Enumerable.Range(0, e.Length).Where(i => !e[i].Span.SequenceEqual(a[i].Span)).ToArray();
        return differing.Length == 0
            ? null
            : $"'{expected.Name}': {differing.Length}/{e.Length} elements differ: " + string.Join(", ", differing.Take(MaxReported).Select(i =>
                $"[{i}] \"{System.Text.Encoding.UTF8.GetString(a[i].Span)}\" vs \"{System.Text.Encoding.UTF8.GetString(e[i].Span)}\""));
    }
}
