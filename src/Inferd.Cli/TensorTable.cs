using System.Globalization;
using System.Text;
using Inferd.Abstractions.Tensors;
using Inferd.Client;

namespace Inferd.Cli;

/// <summary>The readable form of an inference response: one row per output with its first values.</summary>
internal static class TensorTable
{
    public static string Format(ClientInferResponse response, int maxValues)
    {
        var text = new StringBuilder();
        text.Append("model: ").Append(response.ModelName);
        if (response.ModelVersion.Length > 0)
        {
            text.Append("  version: ").Append(response.ModelVersion);
        }

        if (response.Id.Length > 0)
        {
            text.Append("  id: ").Append(response.Id);
        }

        text.AppendLine();
        var rows = response.Outputs
            .Select(o => new[] { o.Name, o.DataType.ToWireName(), TensorShape.Format(o.Shape), Values(o, maxValues) })
            .Prepend(["OUTPUT", "DATATYPE", "SHAPE", "VALUES"])
            .ToArray();
        var widths = Enumerable.Range(0, 3).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            for (var c = 0; c < 3; c++)
            {
                text.Append(row[c].PadRight(widths[c] + 2));
            }

            text.AppendLine(row[3]);
        }

        return text.ToString().TrimEnd();
    }

    private static string Values(ClientTensor tensor, int maxValues)
    {
        var values = tensor.DataType switch
        {
            DataType.Bytes => tensor.AsStrings().Take(maxValues).Select(Quote),
            DataType.Bool => tensor.AsBools().Take(maxValues).Select(b => b ? "true" : "false"),
            DataType.UInt64 => tensor.AsUInt64s().Take(maxValues).Select(v => v.ToString(CultureInfo.InvariantCulture)),
            DataType.Int64 => tensor.AsInt64s().Take(maxValues).Select(v => v.ToString(CultureInfo.InvariantCulture)),
            DataType.Fp32 => tensor.AsFloats().Take(maxValues).Select(v => v.ToString("G7", CultureInfo.InvariantCulture)),
            _ => tensor.ToDoubles().Take(maxValues).Select(v => v.ToString("G7", CultureInfo.InvariantCulture)),
        };
        var shown = string.Join(", ", values);
        return tensor.ElementCount > maxValues ? $"[{shown}, ...] ({tensor.ElementCount} values)" : $"[{shown}]";
    }

    private static string Quote(string s)
    {
        var shortened = s.Length > 40 ? s[..40] + "..." : s;
        return "\"" + shortened.Replace("\"", "\\\"", StringComparison.Ordinal).ReplaceLineEndings("\\n") + "\"";
    }
}
