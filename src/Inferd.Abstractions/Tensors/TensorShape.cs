namespace Inferd.Abstractions.Tensors;

/// <summary>Checked arithmetic over tensor shapes, so hostile shapes fail before anything is allocated.</summary>
public static class TensorShape
{
    /// <summary>
    /// Multiplies the dimensions with overflow checks. Returns false for a negative dimension or an overflow;
    /// the caller turns that into an InvalidInput error.
    /// </summary>
    public static bool TryGetElementCount(ReadOnlySpan<long> shape, out long count)
    {
        count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                count = 0;
                return false;
            }

            try
            {
                count = checked(count * dim);
            }
            catch (OverflowException)
            {
                count = 0;
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats a shape as <c>[2,3]</c> for error messages.</summary>
    public static string Format(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(",", parts) + "]";
    }
}
