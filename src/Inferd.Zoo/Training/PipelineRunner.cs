using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Repository;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Zoo.Training;

/// <summary>Loads a pipeline config through <see cref="PipelineBackend"/> (as the server does) and runs it in process.</summary>
internal static class PipelineRunner
{
    /// <summary>Loads <c>config.json</c> of a model directory (version 1). Ownership: the caller disposes.</summary>
    public static Task<ILoadedModel> LoadAsync(string modelDirectory, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(Path.GetFullPath(modelDirectory).TrimEnd(Path.DirectorySeparatorChar));
        var config = ModelConfigJson.Read(File.ReadAllText(Path.Combine(modelDirectory, "config.json")), name).Config;
        return LoadAsync(modelDirectory, config, cancellationToken);
    }

    /// <summary>Loads a config for a model directory (version 1). Ownership: the caller disposes.</summary>
    public static Task<ILoadedModel> LoadAsync(string modelDirectory, ModelConfig config, CancellationToken cancellationToken)
    {
        var version = Path.Combine(modelDirectory, "1");
        var file = config.Pipeline is null ? Path.Combine(version, config.DefaultModelFilename) : version;
        return new PipelineBackend(new OnnxRuntimeBackend()).LoadAsync(new ModelLoadContext(config.Name, "1", file, config), cancellationToken);
    }

    /// <summary>The step kinds a pipeline config uses that this build does not know (the branches merge later).</summary>
    public static IReadOnlyList<string> UnknownKinds(ModelConfig config) =>
        config.Pipeline is null ? [] : PipelineParser.Parse(config.Pipeline).Steps.Select(s => s.Kind).Where(k => StepKinds.Find(k) is null).Distinct().ToArray();

    /// <summary>Runs <paramref name="rows"/> rows in batches of <paramref name="batch"/>, returning each output's FP32 values in row order.</summary>
    public static async Task<float[][]> RunFloatsAsync(ILoadedModel model, int rows, Func<int, int, InferenceTensor[]> inputs, string[] outputs, int batch, CancellationToken cancellationToken)
    {
        var result = outputs.Select(_ => new List<float>(rows)).ToArray();
        for (var start = 0; start < rows; start += batch)
        {
            var count = Math.Min(batch, rows - start);
            var tensors = await model.RunAsync(0, inputs(start, count), outputs, new RunTimings(), cancellationToken).ConfigureAwait(false);
            for (var o = 0; o < outputs.Length; o++)
            {
                result[o].AddRange(TensorData.Floats(tensors[o]).ToArray());
            }
        }

        return result.Select(r => r.ToArray()).ToArray();
    }

    /// <summary>
    /// Throws unless the pipeline's values equal ML.NET's within <paramref name="tolerance"/>, absolute up to 1 and
    /// relative above (<see cref="Tolerance"/>); returns the max absolute difference.
    /// </summary>
    public static double Compare(string model, IReadOnlyList<float> mlnet, IReadOnlyList<float> pipeline, double tolerance = 1e-5)
    {
        if (mlnet.Count != pipeline.Count)
        {
            throw new ZooException($"{model}: the pipeline returned {pipeline.Count} values for {mlnet.Count} held-out rows");
        }

        var max = 0.0;
        for (var i = 0; i < mlnet.Count; i++)
        {
            var diff = Math.Abs((double)mlnet[i] - pipeline[i]);
            if (!(diff <= Tolerance(mlnet[i], tolerance)))
            {
                throw new ZooException($"{model}: held-out row {i}: the exported ONNX pipeline gives {pipeline[i]} but ML.NET {mlnet[i]} (tolerance {tolerance})");
            }

            max = Math.Max(max, diff);
        }

        return max;
    }

    /// <summary>
    /// The allowed difference at <paramref name="value"/>: <paramref name="tolerance"/> up to 1, relative above.
    /// ORT sums a tree ensemble in FP32 and ML.NET in FP64, so a house price near 40 differs by 3 FP32 ulps
    /// (1.2e-5 measured with 40 trees): an absolute 1e-5 is below FP32 resolution there.
    /// </summary>
    public static double Tolerance(double value, double tolerance = 1e-5) => tolerance * Math.Max(1, Math.Abs(value));

    /// <summary>The pipeline's declared inputs, in order.</summary>
    public static IReadOnlyList<(string Name, DataType Type)> Inputs(ModelConfig config) =>
        PipelineParser.Parse(config.Pipeline!).Inputs.Select(i => (i.Name, i.DataType)).ToArray();

    /// <summary>A BYTES [N] tensor of UTF-8 strings.</summary>
    public static InferenceTensor Strings(string name, IReadOnlyList<string> values) => TensorData.Strings(name, [values.Count], values);

    /// <summary>The elements of an FP32 tensor, or of a BYTES tensor as strings.</summary>
    public static IReadOnlyList<object> Values(InferenceTensor tensor) =>
        tensor.DataType == DataType.Bytes
            ? TensorData.Elements(tensor).Select((e, i) => (object)TensorData.Utf8(e, tensor.Name, i)).ToArray()
            : TensorData.Floats(tensor).ToArray().Select(f => (object)f).ToArray();

    /// <summary>Writes the types the verification inputs need.</summary>
    public static InferenceTensor Floats(string name, IEnumerable<float> values)
    {
        var array = values.ToArray();
        var tensor = TensorData.NewFloats(name, [array.Length], out var span);
        array.CopyTo(span);
        return tensor;
    }
}
