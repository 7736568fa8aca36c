namespace Inferd.Abstractions.Tensors;

/// <summary>Wire names, config names and element sizes of <see cref="DataType"/>.</summary>
public static class DataTypes
{
    private static readonly string[] WireNames =
        ["INVALID", "BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES", "BF16"];

    private static readonly string[] ConfigNames =
        ["TYPE_INVALID", "TYPE_BOOL", "TYPE_UINT8", "TYPE_UINT16", "TYPE_UINT32", "TYPE_UINT64", "TYPE_INT8", "TYPE_INT16", "TYPE_INT32", "TYPE_INT64", "TYPE_FP16", "TYPE_FP32", "TYPE_FP64", "TYPE_STRING", "TYPE_BF16"];

    private static readonly int[] Sizes = [0, 1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8, 0, 2];

    /// <summary>All valid types, in enum order.</summary>
    public static IReadOnlyList<DataType> All { get; } = Enum.GetValues<DataType>().Where(t => t != DataType.Invalid).ToArray();

    /// <summary>The protocol name, e.g. <c>FP32</c>.</summary>
    public static string ToWireName(this DataType type) => WireNames[(int)type];

    /// <summary>The model-config name, e.g. <c>TYPE_FP32</c>.</summary>
    public static string ToConfigName(this DataType type) => ConfigNames[(int)type];

    /// <summary>Bytes per element; 0 for <see cref="DataType.Bytes"/> (variable) and Invalid.</summary>
    public static int ElementSize(this DataType type) => Sizes[(int)type];

    /// <summary>Parses a protocol name exactly (case-sensitive, as on the wire).</summary>
    public static bool TryParseWireName(string? name, out DataType type)
    {
        type = DataType.Invalid;
        if (name is null)
        {
            return false;
        }

        var index = Array.IndexOf(WireNames, name);
        if (index <= 0)
        {
            return false;
        }

        type = (DataType)index;
        return true;
    }

    /// <summary>Parses a config name such as <c>TYPE_FP32</c>.</summary>
    public static bool TryParseConfigName(string? name, out DataType type)
    {
        type = DataType.Invalid;
        if (name is null)
        {
            return false;
        }

        var index = Array.IndexOf(ConfigNames, name);
        if (index <= 0)
        {
            return false;
        }

        type = (DataType)index;
        return true;
    }
}
