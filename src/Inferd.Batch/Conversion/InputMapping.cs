using Inferd.Abstractions.Tensors;
using Inferd.Batch.Jobs;
using Inferd.Batch.Scoring;

namespace Inferd.Batch.Conversion;

/// <summary>
/// Decides which columns fill which model input. The rule, in order, for each input:
/// <list type="number">
/// <item>the columns named for it in the job's input map;</item>
/// <item>a column with the input's name (exact, else ignoring case);</item>
/// <item>when the model has one input: every column but the id column (for a folder of files: the file content).</item>
/// </list>
/// One column may hold a scalar, a list (JSON array, Parquet list), text (for BYTES inputs) or a file (a picture for
/// a picture-shaped input); several columns give one value each.
/// </summary>
internal static class InputMapping
{
    public static InputPlan[] Create(ScoringModel model, IReadOnlyList<string> columns, BatchJobSpec spec, bool rowsAreFiles)
    {
        foreach (var mapped in spec.InputMap.Keys)
        {
            if (!model.Inputs.Any(i => i.Name == mapped))
            {
                throw new BatchJobException($"--input-map names '{mapped}', which is not an input of model '{model.Name}' (inputs: {string.Join(", ", model.Inputs.Select(i => i.Name))})");
            }
        }

        var plans = new InputPlan[model.Inputs.Count];
        for (var i = 0; i < plans.Length; i++)
        {
            var input = model.Inputs[i];
            var rowShape = RowShape(input.Shape, model.MaxBatchSize, input.Name);
            var elements = 1L;
            foreach (var d in rowShape)
            {
                elements *= d;
            }

            if (elements > 1 << 24)
            {
                throw new BatchJobException($"input '{input.Name}' takes {elements} values per row; batch jobs take at most {1 << 24}");
            }

            var names = ColumnsFor(input.Name, model, columns, spec, rowsAreFiles);
            var indexes = names.Select(n => IndexOf(columns, n)).ToArray();
            if (names.Length != 1 && names.Length != elements)
            {
                throw new BatchJobException(
                    $"input '{input.Name}' takes {elements} values per row (shape {TensorShape.Format(rowShape)}), but {names.Length} columns map to it ({Abbreviate(names)}); map one column holding a list, or exactly {elements} columns");
            }

            plans[i] = new InputPlan(input.Name, input.DataType, rowShape, (int)elements, indexes, names, ImageLayoutOf(input.DataType, rowShape));
        }

        return plans;
    }

    private static long[] RowShape(long[] shape, int maxBatchSize, string name)
    {
        // A batching model's dim 0 is the batch. A model that does not batch but declares a variable dim 0 gets one
        // row per request in that dim, as a client would send it.
        var rowShape = maxBatchSize > 0 || (shape.Length > 0 && shape[0] == -1) ? shape[1..] : shape;
        if (rowShape.Any(d => d < 0))
        {
            throw new BatchJobException(
                $"input '{name}' has a variable dimension in {TensorShape.Format(shape)}; batch jobs need a fixed shape per row (fix it in the model's config)");
        }

        return rowShape;
    }

    private static string[] ColumnsFor(string input, ScoringModel model, IReadOnlyList<string> columns, BatchJobSpec spec, bool rowsAreFiles)
    {
        if (spec.InputMap.TryGetValue(input, out var mapped))
        {
            foreach (var name in mapped)
            {
                if (IndexOf(columns, name) < 0)
                {
                    throw new BatchJobException($"--input-map {input}: the input has no column '{name}' (columns: {Abbreviate(columns)})");
                }
            }

            return [.. mapped];
        }

        var exact = columns.FirstOrDefault(c => c == input) ?? columns.FirstOrDefault(c => string.Equals(c, input, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return [exact];
        }

        if (model.Inputs.Count == 1)
        {
            if (rowsAreFiles)
            {
                return ["content"];
            }

            var rest = columns.Where(c => c != spec.IdColumn).ToArray();
            if (rest.Length > 0)
            {
                return rest;
            }
        }

        throw new BatchJobException(
            $"model input '{input}' has no column: name a column '{input}' or map it with --input-map {input}=COLUMN[,COLUMN...] (columns: {Abbreviate(columns)})");
    }

    private static ImageLayout? ImageLayoutOf(DataType type, long[] rowShape)
    {
        if (type is not (DataType.Fp32 or DataType.UInt8) || rowShape.Length != 3)
        {
            return null;
        }

        if (rowShape[0] is 1 or 3 && rowShape[1] > 1 && rowShape[2] > 1)
        {
            return new ImageLayout((int)rowShape[0], (int)rowShape[1], (int)rowShape[2], ChannelsFirst: true);
        }

        return rowShape[2] is 1 or 3 && rowShape[0] > 1 && rowShape[1] > 1
            ? new ImageLayout((int)rowShape[2], (int)rowShape[0], (int)rowShape[1], ChannelsFirst: false)
            : null;
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Abbreviate(IReadOnlyList<string> names) =>
        names.Count <= 8 ? string.Join(", ", names) : string.Join(", ", names.Take(8)) + $", … ({names.Count} in all)";
}
