using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Tensors;

namespace Inferd.Testing.Models;

/// <summary>
/// The demo model repository under <c>samples/model-repository/</c>: tiny generated models, their configs and label
/// files. Output is byte-for-byte deterministic, so a test can regenerate it and compare with the committed files.
/// <list type="bullet">
/// <item><c>simple</c>: INT32 AddSub [-1,16], batchable (max_batch_size 8), with config.json.</item>
/// <item><c>strings</c>: BYTES identity [-1], no config.json (the server completes it from the model).</item>
/// <item><c>mlp</c>: FP32 MLP [N,4] → [N,3] with labels for the classification extension.</item>
/// </list>
/// The zoo models beside them (<c>inferd zoo build</c>, src/Inferd.Zoo) are generated from pinned downloads and git-ignored.
/// </summary>
public static class DemoRepository
{
    /// <summary>Seed of the demo MLP's weights.</summary>
    public const int MlpSeed = 42;

    /// <summary>Class names of the demo MLP's three outputs, in order.</summary>
    public static IReadOnlyList<string> MlpLabels { get; } = ["setosa", "versicolor", "virginica"];

    /// <summary>Every generated file, keyed by its '/'-separated path relative to the repository root, sorted.</summary>
    public static IReadOnlyDictionary<string, byte[]> Generate() => new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
    {
        ["simple/1/model.onnx"] = TestModels.AddSub(DataType.Int32, [-1, 16]),
        ["simple/config.json"] = Config(
            "simple",
            maxBatchSize: 8,
            [new(TestModels.Input0, DataType.Int32, [16]), new(TestModels.Input1, DataType.Int32, [16])],
            [new(TestModels.Output0, DataType.Int32, [16]), new(TestModels.Output1, DataType.Int32, [16])]),
        ["strings/1/model.onnx"] = TestModels.StringIdentity([-1]),
        ["mlp/1/model.onnx"] = TestModels.Mlp(4, 8, 3, MlpSeed),
        ["mlp/config.json"] = Config(
            "mlp",
            maxBatchSize: 8,
            [new(TestModels.MlpInput, DataType.Fp32, [4])],
            [new(TestModels.MlpOutput, DataType.Fp32, [3], "labels.txt")]),
        ["mlp/labels.txt"] = Lines(MlpLabels),
    };

    /// <summary>
    /// Writes <see cref="Generate"/>'s files under <paramref name="root"/>, creating directories. Other files
    /// (such as the zoo's models) are left alone.
    /// </summary>
    public static void Write(string root)
    {
        foreach (var (path, bytes) in Generate())
        {
            var full = Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
    }

    private sealed record Tensor(string Name, DataType Type, long[] Dims, string? LabelFilename = null);

    private static byte[] Lines(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));

    // Triton ModelConfig in protobuf JSON form with snake_case names (protocol.md §11.5), kept minimal.
    private static byte[] Config(string name, int maxBatchSize, Tensor[] inputs, Tensor[] outputs)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, IndentSize = 2, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("backend", "onnxruntime");
            json.WriteNumber("max_batch_size", maxBatchSize);
            WriteTensors(json, "input", inputs);
            WriteTensors(json, "output", outputs);
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static void WriteTensors(Utf8JsonWriter json, string property, Tensor[] tensors)
    {
        json.WriteStartArray(property);
        foreach (var tensor in tensors)
        {
            json.WriteStartObject();
            json.WriteString("name", tensor.Name);
            json.WriteString("data_type", tensor.Type.ToConfigName());
            json.WriteStartArray("dims");
            foreach (var dim in tensor.Dims)
            {
                json.WriteNumberValue(dim);
            }

            json.WriteEndArray();
            if (tensor.LabelFilename is not null)
            {
                json.WriteString("label_filename", tensor.LabelFilename);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
