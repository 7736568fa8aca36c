using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Evaluation;

namespace Inferd.Explain.Background;

/// <summary>
/// Turns JSON rows into <see cref="InputRow"/>s: each row an object keyed by input name (a scalar, or a nested array
/// of the row's elements; other keys are ignored, so a model's <c>heldout.jsonl</c> serves as is), or, for a model
/// with one input, a bare array of its elements.
/// </summary>
internal static class BackgroundReader
{
    /// <summary>Reads up to <paramref name="maxRows"/> rows, sampled without replacement by <paramref name="seed"/> when there are more.</summary>
    /// <param name="lines">JSON rows (blank lines skipped).</param>
    /// <param name="source">Name used in errors and in the result, e.g. <c>file heldout.jsonl</c>.</param>
    /// <param name="config">The version's effective config.</param>
    /// <param name="rowShapes">Per input, the shape of one row.</param>
    /// <param name="maxRows">Rows kept.</param>
    /// <param name="seed">Sampling seed.</param>
    public static BackgroundSet Read(IEnumerable<string> lines, string source, ModelConfig config, long[][] rowShapes, int maxRows, int seed)
    {
        var all = lines.Select((text, i) => (Text: text, Line: i + 1)).Where(l => !string.IsNullOrWhiteSpace(l.Text)).ToList();
        if (all.Count == 0)
        {
            throw InferenceException.Invalid($"the background ({source}) has no rows");
        }

        var picked = all;
        if (all.Count > maxRows)
        {
            var random = new Random(seed);
            var order = Enumerable.Range(0, all.Count).ToArray();
            random.Shuffle(order);
            picked = order.Take(maxRows).Order().Select(i => all[i]).ToList();
        }

        var rows = picked.Select(l => ReadRow(l.Text, $"{source} line {l.Line}", config, rowShapes)).ToArray();
        var described = all.Count > maxRows ? $"{source} ({rows.Length} of {all.Count} rows)" : $"{source} ({rows.Length} rows)";
        return new BackgroundSet(rows, described);
    }

    private static InputRow ReadRow(string text, string where, ModelConfig config, long[][] rowShapes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw InferenceException.Invalid($"{where}: not valid JSON ({ex.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            var cells = new byte[config.Inputs.Count][];
            for (var i = 0; i < cells.Length; i++)
            {
                var input = config.Inputs[i];
                JsonElement value;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (!root.TryGetProperty(input.Name, out value))
                    {
                        throw InferenceException.Invalid($"{where}: no value for input '{input.Name}'");
                    }
                }
                else if (root.ValueKind == JsonValueKind.Array && cells.Length == 1)
                {
                    value = root;
                }
                else
                {
                    throw InferenceException.Invalid($"{where}: a background row must be an object keyed by input name");
                }

                var count = (int)rowShapes[i].Aggregate(1L, (a, d) => a * d);
                cells[i] = Encode(value, input, count, where);
            }

            return new InputRow(cells);
        }
    }

    private static byte[] Encode(JsonElement value, TensorConfig input, int count, string where)
    {
        var elements = new List<JsonElement>(count);
        Flatten(value, elements);
        if (elements.Count != count)
        {
            throw InferenceException.Invalid($"{where}: input '{input.Name}' has {elements.Count} elements; one row of it holds {count}");
        }

        if (input.DataType == DataType.Bytes)
        {
            var strings = elements.Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).Select(Encoding.UTF8.GetBytes).ToArray();
            var cell = new byte[strings.Sum(s => 4 + s.Length)];
            var at = 0;
            foreach (var s in strings)
            {
                BinaryPrimitives.WriteInt32LittleEndian(cell.AsSpan(at), s.Length);
                s.CopyTo(cell, at + 4);
                at += 4 + s.Length;
            }

            return cell;
        }

        var data = new byte[count * input.DataType.ElementSize()];
        for (var e = 0; e < count; e++)
        {
            var v = elements[e];
            var number = v.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                JsonValueKind.Number => v.GetDouble(),
                JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => throw InferenceException.Invalid($"{where}: input '{input.Name}' element {e} is not a number"),
            };
            CellCodec.Write(input.DataType, data, e, number);
        }

        return data;
    }

    private static void Flatten(JsonElement value, List<JsonElement> into)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                Flatten(item, into);
            }
        }
        else
        {
            into.Add(value);
        }
    }
}
