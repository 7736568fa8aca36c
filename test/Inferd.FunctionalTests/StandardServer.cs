using Inferd.Abstractions.Tensors;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests;

/// <summary>
/// One server shared by a test class: <c>simple</c> (INT32 add/sub, [-1,16], max batch 8), <c>strings</c>
/// (BYTES identity), <c>fp32</c> (FP32 identity [-1,4]), <c>fp16</c> (FP16 identity [-1,4]), <c>bools</c> (BOOL identity [-1,4]).
/// </summary>
public sealed class StandardServer : IAsyncLifetime
{
    public const string SimpleConfig = """
        {"max_batch_size": 8,
         "input": [{"name": "INPUT0", "data_type": "TYPE_INT32", "dims": [16]}, {"name": "INPUT1", "data_type": "TYPE_INT32", "dims": [16]}],
         "output": [{"name": "OUTPUT0", "data_type": "TYPE_INT32", "dims": [16]}, {"name": "OUTPUT1", "data_type": "TYPE_INT32", "dims": [16]}]}
        """;

    public InferdTestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await InferdTestServer.StartAsync(root =>
        {
            ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), SimpleConfig);
            ModelRepositoryBuilder.Add(root, "strings", TestModels.Identity(DataType.Bytes, [-1]), """{"max_batch_size": 0}""");
            ModelRepositoryBuilder.Add(root, "fp32", TestModels.Identity(DataType.Fp32, [-1, 4]));
            ModelRepositoryBuilder.Add(root, "fp16", TestModels.Identity(DataType.Fp16, [-1, 4]));
            ModelRepositoryBuilder.Add(root, "bools", TestModels.Identity(DataType.Bool, [-1, 4]));
        });
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
