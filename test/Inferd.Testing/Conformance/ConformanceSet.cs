using System.Globalization;
using Inferd.Abstractions.Tensors;
using Inferd.Testing.Models;
using Onnx;

namespace Inferd.Testing.Conformance;

/// <summary>
/// The ONNX backend conformance set from Debian's <c>libonnx-testdata</c> (models-and-data.md §6): models with
/// golden inputs and outputs. Cases whose values cannot travel over the protocol are returned with a skip reason
/// rather than left out, so counts stay comparable across runs.
/// </summary>
public static class ConformanceSet
{
    /// <summary>Where <c>apt-get install libonnx-testdata</c> puts the data.</summary>
    public const string DefaultRoot = "/usr/share/libonnx-testdata/data";

    /// <summary>Reason given for models with sequence, map or optional inputs or outputs.</summary>
    public const string NonTensorReason = "sequence/map/optional values cannot travel over the protocol";

    /// <summary>The directories read; <c>real/</c> is left out because it holds only URL stubs.</summary>
    public static IReadOnlyList<string> Categories { get; } = ["node", "pytorch-converted", "pytorch-operator", "simple"];

    /// <summary>Whether the set is installed under <paramref name="root"/>.</summary>
    public static bool IsAvailable(string root = DefaultRoot) => Directory.Exists(Path.Combine(root, "node"));

    /// <summary>Loads every case under <paramref name="root"/>, ordered by name. Empty when the set is missing.</summary>
    public static IReadOnlyList<ConformanceCase> Enumerate(string root = DefaultRoot)
    {
        var cases = new List<ConformanceCase>();
        foreach (var category in Categories)
        {
            var directory = Path.Combine(root, category);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var caseDirectory in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(caseDirectory, "model.onnx")))
                {
                    cases.Add(Load(caseDirectory, category + "/" + Path.GetFileName(caseDirectory)));
                }
            }
        }

        return cases;
    }

    /// <summary>Loads one case directory (holding <c>model.onnx</c> and <c>test_data_set_N/</c>).</summary>
    public static ConformanceCase Load(string caseDirectory, string name)
    {
        var modelPath = Path.GetFullPath(Path.Combine(caseDirectory, "model.onnx"));
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(modelPath));
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            return new ConformanceCase(name, modelPath, [], "model.onnx does not parse: " + e.Message);
        }

        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToArray();
        var outputs = model.Graph.Output.ToArray();
        var reason = inputs.Concat(outputs).Select(SignatureSkipReason).FirstOrDefault(r => r is not null);
        if (reason is not null)
        {
            return new ConformanceCase(name, modelPath, [], reason);
        }

        var dataSets = new List<ConformanceDataSet>();
        foreach (var setDirectory in Directory.GetDirectories(caseDirectory, "test_data_set_*").OrderBy(SuffixNumber))
        {
            var setInputs = ReadTensors(setDirectory, "input_", inputs, out reason);
            var setOutputs = reason is null ? ReadTensors(setDirectory, "output_", outputs, out reason) : null;
            if (reason is not null)
            {
                return new ConformanceCase(name, modelPath, [], $"{Path.GetFileName(setDirectory)}: {reason}");
            }

            dataSets.Add(new ConformanceDataSet(Path.GetFullPath(setDirectory), setInputs!, setOutputs!));
        }

        return dataSets.Count == 0
            ? new ConformanceCase(name, modelPath, [], "no test_data_set_N directory")
            : new ConformanceCase(name, modelPath, dataSets, null);
    }

    private static string? SignatureSkipReason(ValueInfoProto value) => value.Type?.ValueCase switch
    {
        TypeProto.ValueOneofCase.TensorType when !OnnxElementTypes.TryFromOnnx(value.Type.TensorType.ElemType, out _) =>
            $"datatype {OnnxElementTypes.OnnxName(value.Type.TensorType.ElemType)} of '{value.Name}' is not in the protocol",
        TypeProto.ValueOneofCase.TensorType => null,
        TypeProto.ValueOneofCase.SequenceType or TypeProto.ValueOneofCase.MapType or TypeProto.ValueOneofCase.OptionalType =>
            NonTensorReason,
        TypeProto.ValueOneofCase.SparseTensorType => "sparse tensors cannot travel over the protocol",
        _ => $"'{value.Name}' has no type",
    };

    private static List<InferenceTensor>? ReadTensors(string setDirectory, string prefix, ValueInfoProto[] signature, out string? reason)
    {
        reason = null;
        var files = Directory.GetFiles(setDirectory, prefix + "*.pb").OrderBy(SuffixNumber).ToArray();
        if (files.Length > signature.Length)
        {
            reason = $"{files.Length} {prefix}*.pb files but the graph has {signature.Length}";
            return null;
        }

        var tensors = new List<InferenceTensor>(files.Length);
        for (var k = 0; k < files.Length; k++)
        {
            if (SuffixNumber(files[k]) != k)
            {
                reason = $"{Path.GetFileName(files[k])} is out of sequence";
                return null;
            }

            if (!OnnxTensorConverter.TryReadFile(files[k], signature[k].Name, out var tensor, out reason))
            {
                reason = $"{Path.GetFileName(files[k])}: {reason}";
                return null;
            }

            // ONNX 1.12's generator stored bfloat16 data as UINT16 tensors (numpy has no bfloat16): same bits,
            // so take the graph's declared type.
            if (tensor!.DataType == DataType.UInt16
                && OnnxElementTypes.TryFromOnnx(signature[k].Type.TensorType.ElemType, out var declared)
                && declared == DataType.Bf16)
            {
                tensor = tensor with { DataType = DataType.Bf16 };
            }

            tensors.Add(tensor);
        }

        return tensors;
    }

    private static int SuffixNumber(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var underscore = name.LastIndexOf('_');
        return int.TryParse(name.AsSpan(underscore + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
    }
}
