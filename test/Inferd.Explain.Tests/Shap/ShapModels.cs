using System.Globalization;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Evaluation;
using Inferd.Testing.Models;
using Onnx;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.Explain.Tests.Shap;

/// <summary>Models, configs and rows for the Kernel SHAP tests.</summary>
internal static class ShapModels
{
    /// <summary>Coefficients of <see cref="NamedFields"/>: y = 2a − 3b + 0.5c.</summary>
    public static readonly (string Name, double Coef)[] Fields = [("a", 2), ("b", -3), ("c", 0.5)];

    /// <summary>Inputs a, b, c, each double [N, 1]; output y double [N, 1] = 2a − 3b + 0.5c.</summary>
    public static byte[] NamedFields()
    {
        var nodes = new List<NodeProto>();
        var initializers = new List<TensorProto>();
        foreach (var (name, coef) in Fields)
        {
            var c = new TensorProto { Name = "k_" + name, DataType = (int)TensorProto.Types.DataType.Double };
            c.Dims.Add(1);
            c.DoubleData.Add(coef);
            initializers.Add(c);
            nodes.Add(Node("Mul", [name, "k_" + name], ["t_" + name]));
        }

        nodes.Add(Node("Add", ["t_a", "t_b"], ["ab"]));
        nodes.Add(Node("Add", ["ab", "t_c"], ["y"]));
        return Serialize(Graph(
            "fields",
            nodes,
            Fields.Select(f => Value(f.Name, DataType.Fp64, [-1, 1])).ToList(),
            [Value("y", DataType.Fp64, [-1, 1])],
            initializers));
    }

    /// <summary>The config of <see cref="NamedFields"/>.</summary>
    public static string NamedFieldsConfig(string name, string explain) => $$"""
        {"name": "{{name}}", "max_batch_size": 256,
         "input": [{"name": "a", "data_type": "TYPE_FP64", "dims": [1]}, {"name": "b", "data_type": "TYPE_FP64", "dims": [1]}, {"name": "c", "data_type": "TYPE_FP64", "dims": [1]}],
         "output": [{"name": "y", "data_type": "TYPE_FP64", "dims": [1]}], "explain": {{explain}}}
        """;

    /// <summary>The config of <see cref="TestModels.Mlp"/> with <paramref name="features"/> FP32 inputs and one output.</summary>
    public static string MlpConfig(string name, int features, string explain) => string.Create(CultureInfo.InvariantCulture, $$"""
        {"name": "{{name}}", "max_batch_size": 256,
         "input": [{"name": "{{TestModels.MlpInput}}", "data_type": "TYPE_FP32", "dims": [{{features}}]}],
         "output": [{"name": "{{TestModels.MlpOutput}}", "data_type": "TYPE_FP32", "dims": [1]}], "explain": {{explain}}}
        """);

    /// <summary>The explain section with a background file of <paramref name="rows"/> rows.</summary>
    public static string Explain(int rows) => """{"background": {"file": "bg.jsonl", "rows": """ + rows.ToString(CultureInfo.InvariantCulture) + "}}";

    /// <summary><paramref name="count"/> rows of <paramref name="features"/> values in [−2, 2), the same for the same seed.</summary>
    public static double[][] Rows(int count, int features, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, features).Select(_ => Math.Round((random.NextDouble() * 4) - 2, 3)).ToArray()).ToArray();
    }

    /// <summary>A JSON Lines background of objects keyed by field name.</summary>
    public static string FieldBackground(double[][] rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append('{').AppendJoin(", ", Fields.Select((f, i) => $"\"{f.Name}\": {row[i].ToString("R", CultureInfo.InvariantCulture)}")).Append("}\n");
        }

        return text.ToString();
    }

    /// <summary>An explanation request for one row of <see cref="NamedFields"/>.</summary>
    public static ExplanationRequest FieldRow(string model, double[] x)
    {
        var inputs = Fields.Select((f, i) =>
        {
            var data = new byte[sizeof(double)];
            CellCodec.Write(DataType.Fp64, data, 0, x[i]);
            return new InferenceTensor(f.Name, DataType.Fp64, [1, 1], data);
        }).ToArray();
        return new ExplanationRequest(new InferenceRequest(model, null, null, inputs, [], new Dictionary<string, ParameterValue>()));
    }
}
