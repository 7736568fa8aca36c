using System.Globalization;
using System.Text;
using Inferd.Abstractions.Tensors;
using Onnx;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.FunctionalTests.Explain;

/// <summary>Models and files for the explanation endpoint tests: a linear model over named FP64 fields, an MLP.</summary>
internal static class ExplainTestModels
{
    public static readonly double[] Coef = [2.0, -3.0, 0.5];
    public const double Bias = 0.25;
    public static readonly string[] Fields = ["a", "b", "c"];

    /// <summary>y = 2a − 3b + 0.5c + 0.25 over three FP64 inputs of one element per row.</summary>
    public static byte[] LinearFields()
    {
        var w = new TensorProto { Name = "W", DataType = (int)TensorProto.Types.DataType.Double };
        w.Dims.AddRange([Coef.Length, 1]);
        w.DoubleData.AddRange(Coef);
        var b = new TensorProto { Name = "B", DataType = (int)TensorProto.Types.DataType.Double };
        b.Dims.Add(1);
        b.DoubleData.Add(Bias);
        return Serialize(Graph(
            "linear_fields",
            [Node("Concat", Fields, ["x"], IntAttribute("axis", 1)), Node("MatMul", ["x", "W"], ["xw"]), Node("Add", ["xw", "B"], ["y"])],
            Fields.Select(f => Value(f, DataType.Fp64, [-1, 1])),
            [Value("y", DataType.Fp64, [-1, 1])],
            [w, b]));
    }

    /// <summary>The config of <see cref="LinearFields"/> with a background file.</summary>
    public const string LinearConfig = """
        {"name": "lin", "max_batch_size": 64,
         "input": [{"name": "a", "data_type": "TYPE_FP64", "dims": [1]}, {"name": "b", "data_type": "TYPE_FP64", "dims": [1]},
                   {"name": "c", "data_type": "TYPE_FP64", "dims": [1]}],
         "output": [{"name": "y", "data_type": "TYPE_FP64", "dims": [1]}],
         "explain": {"background": {"file": "background.jsonl", "rows": 20}}}
        """;

    /// <summary>Twenty background rows with known column means.</summary>
    public static IReadOnlyList<double[]> BackgroundRows() =>
        Enumerable.Range(0, 20).Select(i => new[] { i * 0.5, 3 - (i % 7), Math.Sqrt(i) }).ToArray();

    /// <summary>The rows as JSON Lines keyed by field.</summary>
    public static string BackgroundJsonl(IEnumerable<double[]> rows)
    {
        var text = new StringBuilder();
        foreach (var r in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"a\": {r[0]:R}, \"b\": {r[1]:R}, \"c\": {r[2]:R}}}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// A 12-feature MLP (FP32) with a 200-row background: exact Kernel SHAP needs 819,000 evaluations, in 8-row calls
    /// (over 100,000 of them, seconds of work), so the queue tests can act while one runs.
    /// </summary>
    public const string MlpConfig = """
        {"name": "mlp12", "max_batch_size": 8,
         "input": [{"name": "X", "data_type": "TYPE_FP32", "dims": [12]}],
         "output": [{"name": "Y", "data_type": "TYPE_FP32", "dims": [1]}],
         "explain": {"background": {"file": "background.jsonl", "rows": 200}}}
        """;

    /// <summary>200 rows of 12 features for <see cref="MlpConfig"/>.</summary>
    public static string MlpBackground()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            text.Append('[').AppendJoin(',', Enumerable.Range(0, 12).Select(j => (((i * 7) + (j * 3)) % 11 / 10.0).ToString("R", CultureInfo.InvariantCulture))).Append("]\n");
        }

        return text.ToString();
    }
}
