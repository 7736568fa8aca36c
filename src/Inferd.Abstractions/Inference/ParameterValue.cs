using System.Globalization;

namespace Inferd.Abstractions.Inference;

/// <summary>Which member of <see cref="ParameterValue"/> is set.</summary>
public enum ParameterKind
{
    /// <summary>A boolean.</summary>
    Bool,
    /// <summary>A signed 64-bit integer.</summary>
    Int64,
    /// <summary>An unsigned 64-bit integer (gRPC only).</summary>
    UInt64,
    /// <summary>A double (JSON numbers with a fraction, gRPC double_param).</summary>
    Double,
    /// <summary>A string.</summary>
    String,
}

/// <summary>A request, input or output parameter: a string, number or boolean (protocol.md §4, §9.2).</summary>
public readonly record struct ParameterValue(ParameterKind Kind, bool Bool, long Int64, ulong UInt64, double Double, string? String)
{
    /// <summary>A boolean parameter.</summary>
    public static ParameterValue FromBool(bool value) => new(ParameterKind.Bool, value, 0, 0, 0, null);

    /// <summary>An int64 parameter.</summary>
    public static ParameterValue FromInt64(long value) => new(ParameterKind.Int64, false, value, 0, 0, null);

    /// <summary>A uint64 parameter.</summary>
    public static ParameterValue FromUInt64(ulong value) => new(ParameterKind.UInt64, false, 0, value, 0, null);

    /// <summary>A double parameter.</summary>
    public static ParameterValue FromDouble(double value) => new(ParameterKind.Double, false, 0, 0, value, null);

    /// <summary>A string parameter.</summary>
    public static ParameterValue FromString(string value) => new(ParameterKind.String, false, 0, 0, 0, value);

    /// <summary>Reads the value as an integer when it is integral (int64, uint64 in range, or a whole double).</summary>
    public bool TryGetInt64(out long value)
    {
        switch (Kind)
        {
            case ParameterKind.Int64:
                value = Int64;
                return true;
            case ParameterKind.UInt64 when UInt64 <= long.MaxValue:
                value = (long)UInt64;
                return true;
            case ParameterKind.Double when Math.Floor(Double) == Double && Math.Abs(Double) < 9.2e18:
                value = (long)Double;
                return true;
            case ParameterKind.String when long.TryParse(String, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                value = parsed;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>Reads the value as a boolean (a bool, or the strings "true"/"false").</summary>
    public bool TryGetBool(out bool value)
    {
        switch (Kind)
        {
            case ParameterKind.Bool:
                value = Bool;
                return true;
            case ParameterKind.String when bool.TryParse(String, out var parsed):
                value = parsed;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
