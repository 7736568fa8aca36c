using System.Text;

namespace Inferd.Cli.Commands;

/// <summary>Plain-text tables of <c>inferd drift</c> and <c>inferd profile</c>: columns padded to their widest cell.</summary>
internal static class DriftTable
{
    /// <summary>The rows (the first is the header) as lines; the last column is not padded.</summary>
    public static string Format(IReadOnlyList<string[]> rows)
    {
        var columns = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                text.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c] + 2));
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
