using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Tensors;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>
/// A tabular pipeline model built in the test, like the zoo's named-field models: inputs <c>income</c>, <c>age</c>,
/// <c>debt</c> (FP32) and <c>region</c> (STRING) go through the <c>tabular</c> step (standardised, one-hot), a linear
/// ONNX model and the <c>fields</c> step to one output, <c>risk</c>. <c>loans</c> monitors drift with a 1,000-row
/// window; <c>plain</c> is the same model without a profile.
/// </summary>
internal static class DriftTestRepository
{
    public const string Model = "loans";
    public const string Unprofiled = "plain";

    /// <summary>Standard deviations of the numeric fields, as the data is drawn.</summary>
    public const double IncomeSd = 10, AgeSd = 8, DebtSd = 2;

    private static readonly string[] Regions = ["north", "south", "east", "west"];

    private const string Pipeline = """
        "max_batch_size": 64,
        "pipeline": {
          "inputs": [
            {"name": "income", "data_type": "TYPE_FP32", "dims": []},
            {"name": "age", "data_type": "TYPE_FP32", "dims": []},
            {"name": "debt", "data_type": "TYPE_FP32", "dims": []},
            {"name": "region", "data_type": "TYPE_STRING", "dims": []}
          ],
          "steps": [
            {"name": "encode", "kind": "tabular", "options": {"features": [
              {"name": "income", "type": "number", "mean": 50, "std": 10},
              {"name": "age", "type": "number", "mean": 40, "std": 8},
              {"name": "debt", "type": "number", "mean": 5, "std": 2},
              {"name": "region", "type": "category", "categories": ["north", "south", "east", "west"]}]}},
            {"name": "model", "kind": "onnx", "inputs": {"Features": "features"}, "outputs": {"y": "raw"}},
            {"name": "fields", "kind": "fields", "inputs": {"x": "raw"}, "options": {"names": ["risk"]}}
          ],
          "outputs": ["risk"]
        }
        """;

    /// <summary>Writes both models into <paramref name="root"/>.</summary>
    public static void Write(string root)
    {
        ModelRepositoryBuilder.Add(root, Model, Linear(), "{\n" + Pipeline + ",\n\"monitoring\": {\"drift\": {\"window\": 1000, \"min_rows\": 500}}\n}");
        ModelRepositoryBuilder.Add(root, Unprofiled, Linear(), "{\n" + Pipeline + "\n}");
    }

    /// <summary>
    /// <paramref name="count"/> rows: income ~ N(50, 10), age ~ N(40, 8), debt ~ N(5, 2) plus <paramref name="debtShift"/>,
    /// region north 40%, south 30%, east 20%, west 10%.
    /// </summary>
    public static IReadOnlyList<Dictionary<string, object>> Rows(int seed, int count, double debtShift = 0)
    {
        var random = new Random(seed);
        var rows = new List<Dictionary<string, object>>(count);
        for (var i = 0; i < count; i++)
        {
            var u = random.NextDouble();
            rows.Add(new Dictionary<string, object>
            {
                ["income"] = Math.Round(50 + (IncomeSd * Normal(random)), 3),
                ["age"] = Math.Round(40 + (AgeSd * Normal(random)), 3),
                ["debt"] = Math.Round(5 + (DebtSd * Normal(random)) + debtShift, 3),
                ["region"] = Regions[u < 0.4 ? 0 : u < 0.7 ? 1 : u < 0.9 ? 2 : 3],
            });
        }

        return rows;
    }

    /// <summary>Baseline data as the zoo writes held-out rows: named fields plus <c>expected</c> and <c>label</c>, which are not inputs.</summary>
    public static string Jsonl(IReadOnlyList<Dictionary<string, object>> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var line = new Dictionary<string, object>(row)
            {
                ["expected"] = new Dictionary<string, double> { ["risk"] = 0.5 },
                ["label"] = 1,
            };
            text.Append(JsonSerializer.Serialize(line)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A <c>v1 :predict</c> body of the rows.</summary>
    public static string PredictBody(IEnumerable<Dictionary<string, object>> rows) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["instances"] = rows.ToArray() });

    private static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    // y = Features · W + B over the seven encoded columns (three numbers, four one-hot regions).
    private static byte[] Linear() =>
        Serialize(Graph(
            "linear",
            [Node("MatMul", ["Features", "W"], ["xw"]), Node("Add", ["xw", "B"], ["y"])],
            [Value("Features", DataType.Fp32, [-1, 7])],
            [Value("y", DataType.Fp32, [-1, 1])],
            [FloatTensor("W", [7, 1], [-0.8f, 0.1f, 1.2f, 0.3f, -0.2f, 0.1f, 0.0f]), FloatTensor("B", [1], [0.5f])]));
}
