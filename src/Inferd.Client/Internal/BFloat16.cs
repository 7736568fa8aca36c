namespace Inferd.Client.Internal;

/// <summary>bfloat16 bit conversions: the upper 16 bits of an IEEE single.</summary>
internal static class BFloat16
{
    /// <summary>Rounds to nearest even; NaN stays a quiet NaN with its sign.</summary>
    public static ushort FromSingle(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }

        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    /// <summary>Widens exactly.</summary>
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
