using System.Text.Json;

namespace Inferd.Monitoring.Accuracy;

/// <summary>
/// Reads what the prediction log stored (<see cref="PredictionLog.PredictionRecord"/>): one tensor's elements from the
/// inputs or outputs JSON, and the per-row ground truth. Anything missing, redacted or malformed reads as null, so one
/// bad record is skipped and counted instead of failing a whole evaluation.
/// </summary>
internal static class LoggedTensors
{
    // Logged tensors are flat, but a hand-written truth array may nest one level per row; deeper is not a row.
    private const int MaxDepth = 8;

    /// <summary>The flattened elements of tensor <paramref name="name"/>, or null when absent, redacted or unreadable.</summary>
    public static LoggedValue[]? Read(string tensorsJson, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(tensorsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(name, out var tensor)
                || tensor.ValueKind != JsonValueKind.Object
                || !tensor.TryGetProperty("data", out var data))
            {
                return null;
            }

            var values = new List<LoggedValue>();
            return Flatten(data, values, 0) ? values.ToArray() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Ground truth per row: a scalar is one row; an array has one entry per row (an entry may itself be a one-element
    /// array). Null when there is none or it cannot be read.
    /// </summary>
    public static LoggedValue[]? Truth(string? truthJson)
    {
        if (truthJson is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(truthJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                return LoggedValue.TryRead(root, out var single) ? [single] : null;
            }

            var rows = new LoggedValue[root.GetArrayLength()];
            var i = 0;
            foreach (var entry in root.EnumerateArray())
            {
                var element = entry.ValueKind == JsonValueKind.Array && entry.GetArrayLength() == 1 ? entry[0] : entry;
                if (!LoggedValue.TryRead(element, out rows[i++]))
                {
                    return null;
                }
            }

            return rows;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Elements per row when <paramref name="elements"/> splits evenly into <paramref name="rows"/> rows, else 0.</summary>
    public static int PerRow(int elements, int rows) => rows > 0 && elements >= rows && elements % rows == 0 ? elements / rows : 0;

    private static bool Flatten(JsonElement element, List<LoggedValue> values, int depth)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            if (depth >= MaxDepth)
            {
                return false;
            }

            foreach (var item in element.EnumerateArray())
            {
                if (!Flatten(item, values, depth + 1))
                {
                    return false;
                }
            }

            return true;
        }

        if (!LoggedValue.TryRead(element, out var value))
        {
            return false;
        }

        values.Add(value);
        return true;
    }
}
