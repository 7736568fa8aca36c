using System.Globalization;
using System.Text;
using Inferd.Abstractions.Tensors;
using Onnx;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.Explain.Tests;

/// <summary>Small ONNX models with known explanations, written by hand.</summary>
internal static class ExplainModels
{
    /// <summary>
    /// y = x·coef + bias in FP64 (so the exact SHAP values are known to 1e-12): input <c>x</c> double [N, F], output
    /// <c>y</c> double [N, 1].
    /// </summary>
    public static byte[] Linear(double[] coef, double bias)
    {
        var w = new TensorProto { Name = "W", DataType = (int)TensorProto.Types.DataType.Double };
        w.Dims.AddRange([coef.Length, 1]);
        w.DoubleData.AddRange(coef);
        var b = new TensorProto { Name = "B", DataType = (int)TensorProto.Types.DataType.Double };
        b.Dims.Add(1);
        b.DoubleData.Add(bias);
        return Serialize(Graph(
            "linear",
            [Node("MatMul", ["x", "W"], ["xw"]), Node("Add", ["xw", "B"], ["y"])],
            [Value("x", DataType.Fp64, [-1, coef.Length])],
            [Value("y", DataType.Fp64, [-1, 1])],
            [w, b]));
    }

    /// <summary>The config of a vector model with dynamic batching off and <paramref name="maxBatch"/> rows per call.</summary>
    public static string VectorConfig(string name, int features, int maxBatch = 256, string? explain = null) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {"name": "{{name}}", "max_batch_size": {{maxBatch}},
         "input": [{"name": "x", "data_type": "TYPE_FP64", "dims": [{{features}}]}],
         "output": [{"name": "y", "data_type": "TYPE_FP64", "dims": [1]}]{{(explain is null ? "" : ", \"explain\": " + explain)}}}
        """);

    /// <summary>A JSON Lines background of bare arrays, one per row.</summary>
    public static string Background(IEnumerable<double[]> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append('[').AppendJoin(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append("]\n");
        }

        return text.ToString();
    }
}
