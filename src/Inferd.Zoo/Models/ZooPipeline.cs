using System.Globalization;
using System.Text;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Repository;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Zoo.Models;

/// <summary>
/// Runs a built model directory in process, through <see cref="PipelineBackend"/> over ONNX Runtime exactly as the
/// server loads it, so held-out metrics measure what will be served. Also writes model cards.
/// </summary>
internal static class ZooPipeline
{
    /// <summary>Loads version 1 of the model in <paramref name="modelDirectory"/>. Ownership: the caller disposes.</summary>
    public static async Task<ILoadedModel> LoadAsync(string modelDirectory, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(Path.GetFullPath(modelDirectory).TrimEnd(Path.DirectorySeparatorChar));
        var json = await File.ReadAllTextAsync(Path.Combine(modelDirectory, "config.json"), cancellationToken).ConfigureAwait(false);
        var config = ModelConfigJson.Read(json, name).Config;
        var backend = new PipelineBackend(new OnnxRuntimeBackend());
        return await backend.LoadAsync(new ModelLoadContext(name, "1", Path.Combine(modelDirectory, "1"), config), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs BYTES rows through the model in batches of at most <paramref name="batch"/>; returns each output's rows.</summary>
    public static async Task<List<InferenceTensor>[]> RunAsync(ILoadedModel model, string input, IReadOnlyList<byte[]> rows, string[] outputs, int batch, CancellationToken cancellationToken)
    {
        var results = outputs.Select(_ => new List<InferenceTensor>()).ToArray();
        for (var start = 0; start < rows.Count; start += batch)
        {
            var chunk = rows.Skip(start).Take(batch).Select(r => (ReadOnlyMemory<byte>)r).ToArray();
            var tensor = new InferenceTensor(input, DataType.Bytes, [chunk.Length], BytesTensor.Encode(chunk));
            var produced = await model.RunAsync(0, [tensor], outputs, new RunTimings(), cancellationToken).ConfigureAwait(false);
            for (var o = 0; o < outputs.Length; o++)
            {
                results[o].Add(produced[o]);
            }
        }

        return results;
    }

    /// <summary>The rows of FP32 [N,D] tensors, concatenated.</summary>
    public static float[][] FloatRows(IEnumerable<InferenceTensor> tensors) =>
        tensors.SelectMany(t =>
        {
            var width = checked((int)t.Shape[1]);
            var values = TensorData.Floats(t).ToArray();
            return values.Chunk(width);
        }).ToArray();

    /// <summary>The strings of BYTES tensors, concatenated.</summary>
    public static string[] Strings(IEnumerable<InferenceTensor> tensors) =>
        tensors.SelectMany(t => BytesTensor.Split(t.Data).Select(e => Encoding.UTF8.GetString(e.Span))).ToArray();

    /// <summary>Cosine similarity.</summary>
    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    /// <summary>A metric as the cards and reports print it: 4 decimals, invariant culture.</summary>
    public static string Format(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>Writes <c>card.md</c>: front matter with the metrics, then the title and the body.</summary>
    public static void WriteCard(string modelDirectory, IReadOnlyList<(string Name, double Value)> metrics, string body)
    {
        var text = new StringBuilder("---\nmetrics:\n");
        foreach (var (name, value) in metrics)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {name}: {Format(value)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"---\n# {Path.GetFileName(modelDirectory)}\n\n").Append(body.Trim()).Append('\n');
        ZooContext.WriteAtomically(Path.Combine(modelDirectory, "card.md"), text.ToString());
    }
}
