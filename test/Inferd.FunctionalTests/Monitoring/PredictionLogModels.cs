using Inferd.Abstractions.Tensors;
using Inferd.Testing.Models;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>
/// The repository of the prediction-log tests: <c>mlp</c> (FP32 X [N,4] → Y [N,3], batching) without a monitoring
/// section, and <c>people</c> (INPUT0 + INPUT1 → OUTPUT0, OUTPUT1, FP32 [1,4]) that redacts INPUT0 and hashes INPUT1.
/// </summary>
internal static class PredictionLogModels
{
    public const string PeopleConfig = """
        {"name": "people", "backend": "onnxruntime", "max_batch_size": 0,
         "input": [{"name": "INPUT0", "data_type": "TYPE_FP32", "dims": [1, 4]}, {"name": "INPUT1", "data_type": "TYPE_FP32", "dims": [1, 4]}],
         "output": [{"name": "OUTPUT0", "data_type": "TYPE_FP32", "dims": [1, 4]}, {"name": "OUTPUT1", "data_type": "TYPE_FP32", "dims": [1, 4]}],
         "monitoring": {"log": {"redact": ["INPUT0"], "hash": ["INPUT1"]}}}
        """;

    public static void Write(string root)
    {
        ModelRepositoryBuilder.Add(root, "mlp", TestModels.Mlp(4, 8, 3, seed: 11), """
            {"name": "mlp", "backend": "onnxruntime", "max_batch_size": 8,
             "input": [{"name": "X", "data_type": "TYPE_FP32", "dims": [4]}],
             "output": [{"name": "Y", "data_type": "TYPE_FP32", "dims": [3]}]}
            """);
        ModelRepositoryBuilder.Add(root, "people", TestModels.AddSub(DataType.Fp32, [1, 4]), PeopleConfig);
    }

    /// <summary>A v2 JSON request for <c>mlp</c> with one row; <paramref name="id"/> null sends none.</summary>
    public static string MlpBody(string? id, float seed) =>
        "{" + (id is null ? "" : "\"id\": \"" + id + "\", ")
        + "\"inputs\": [{\"name\": \"X\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": ["
        + string.Join(", ", Enumerable.Range(0, 4).Select(i => (seed + i * 0.25f).ToString(System.Globalization.CultureInfo.InvariantCulture)))
        + "]}]}";
}
