using System.Globalization;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Processing.Steps.Post;

/// <summary>
/// <c>topk</c>: FP32 <c>probabilities</c> [N,C] → <c>label</c> (BYTES) and <c>score</c> (FP32) of the k best classes,
/// best first; shape [N] when k is 1, else [N,k]. Option <c>labels</c> names a file with one label per line (its line
/// count must equal C); without it a label is the class index as text. Ties keep the lower class index first.
/// </summary>
internal sealed class TopKStep : IPipelineStep
{
    private readonly int _k;
    private readonly string[]? _labels;

    private TopKStep(int k, string[]? labels)
    {
        _k = k;
        _labels = labels;
        long[] shape = k == 1 ? [-1] : [-1, k];
        Outputs = [new TensorSignature("label", DataType.Bytes, shape), new TensorSignature("score", DataType.Fp32, shape)];
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Reads the options and the labels file.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        options.CheckKnown("k", "labels");
        var k = options.GetInt("k", 1, min: 1, max: 1000);
        var probabilities = StepChecks.Input(context, "probabilities", DataType.Fp32, 2);
        var classes = StepChecks.Dim(probabilities, 1);
        string[]? labels = null;
        if (options.Has("labels"))
        {
            labels = ReadLabels(context.ResolveFile("labels", options.GetString("labels")));
            if (labels.Length == 0)
            {
                throw options.Error("option 'labels': the file holds no labels");
            }

            if (classes >= 0 && labels.Length != classes)
            {
                throw options.Error($"option 'labels': the file holds {labels.Length} labels but '{probabilities.Name}' has {classes} classes");
            }
        }

        if (classes >= 0 && k > classes)
        {
            throw options.Error($"option 'k' is {k} but '{probabilities.Name}' has only {classes} classes");
        }

        return ValueTask.FromResult<IPipelineStep>(new TopKStep(k, labels));
    }

    /// <summary>One label per line; a trailing empty line (the file's final newline) is not a label.</summary>
    public static string[] ReadLabels(string path)
    {
        var lines = File.ReadAllLines(path).Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines.ToArray();
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var probabilities = inputs[0];
        var rows = StepChecks.Check(probabilities, DataType.Fp32, 2);
        var classes = checked((int)probabilities.Shape[1]);
        if (classes < _k || (_labels is not null && _labels.Length != classes))
        {
            throw InferenceException.Invalid($"field '{probabilities.Name}' has {classes} classes; this step needs {(_labels is null ? $"at least {_k}" : _labels.Length.ToString(CultureInfo.InvariantCulture))}");
        }

        long[] shape = _k == 1 ? [rows] : [rows, _k];
        var source = TensorData.Floats(probabilities);
        var labels = new string[rows * _k];
        var score = TensorData.NewFloats("score", shape, out var scores);
        Span<int> best = _k <= 64 ? stackalloc int[_k] : new int[_k];
        for (var r = 0; r < rows; r++)
        {
            var row = source.Slice(r * classes, classes);
            var found = Select(row, best);
            for (var i = 0; i < found; i++)
            {
                var c = best[i];
                labels[(r * _k) + i] = _labels is null ? c.ToString(CultureInfo.InvariantCulture) : _labels[c];
                scores[(r * _k) + i] = row[c];
            }
        }

        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([TensorData.Strings("label", shape, labels), score]);
    }

    /// <summary>Insertion into a sorted list of the k best (k is small); NaN never ranks above a number.</summary>
    private static int Select(ReadOnlySpan<float> row, Span<int> best)
    {
        var count = 0;
        for (var c = 0; c < row.Length; c++)
        {
            var v = row[c];
            var at = count;
            while (at > 0 && Better(v, row[best[at - 1]]))
            {
                at--;
            }

            if (at >= best.Length)
            {
                continue;
            }

            var last = Math.Min(count, best.Length - 1);
            for (var i = last; i > at; i--)
            {
                best[i] = best[i - 1];
            }

            best[at] = c;
            count = Math.Min(count + 1, best.Length);
        }

        return count;
    }

    private static bool Better(float candidate, float incumbent) => candidate > incumbent || (float.IsNaN(incumbent) && !float.IsNaN(candidate));

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
