using Inferd.Abstractions.Tensors;
using Inferd.Testing.Models;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Predict;

/// <summary>
/// One server for the prediction tests: the sample repository's <c>mlp</c> (X FP32 [-1,4] → Y FP32 [-1,3], with a
/// card.md), <c>simple</c> (INT32 add/sub [-1,16], no card) and <c>strings</c> (BYTES identity [-1]), plus
/// <c>scalar</c> (FP32 identity, one value per instance), <c>multi</c> (INT64, FP32, BOOL and BYTES inputs) and
/// <c>unbatched</c> (FP32 identity [4], max_batch_size 0).
/// </summary>
public sealed class PredictServer : IAsyncLifetime
{
    public const string MlpCard = "---\nmetrics:\n  accuracy: 0.9712\n  auc: 0.9934\nowner: samples\n---\n# mlp\n\nA tiny iris classifier.\n";

    public InferdTestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await InferdTestServer.StartAsync(root =>
        {
            // The sample repository's models as generated; text-orientation is left out (its model is fetched).
            foreach (var (relative, bytes) in DemoRepository.Generate().Where(f => !f.Key.StartsWith("text-orientation/", StringComparison.Ordinal)))
            {
                var path = Path.Combine(root, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, bytes);
            }

            File.WriteAllText(Path.Combine(root, "mlp", "card.md"), MlpCard);
            ModelRepositoryBuilder.Add(root, "scalar", TestModels.Identity(DataType.Fp32, [-1, 1]), """
                {"max_batch_size": 8, "input": [{"name": "INPUT0", "data_type": "TYPE_FP32", "dims": [1]}]}
                """);
            ModelRepositoryBuilder.Add(root, "multi", TestModels.MultiType(), """{"max_batch_size": 8}""");
            ModelRepositoryBuilder.Add(root, "unbatched", TestModels.Identity(DataType.Fp32, [4]), """{"max_batch_size": 0}""");
        });
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
