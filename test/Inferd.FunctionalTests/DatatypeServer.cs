using Inferd.Abstractions.Tensors;
using Inferd.Testing.Models;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests;

/// <summary>One identity model per datatype, named <c>id_&lt;datatype&gt;</c>, batchable shape [-1,3].</summary>
public sealed class DatatypeServer : IAsyncLifetime
{
    public InferdTestServer Server { get; private set; } = null!;

    public static string ModelName(DataType type) => "id_" + type.ToWireName().ToLowerInvariant();

    public async ValueTask InitializeAsync()
    {
        Server = await InferdTestServer.StartAsync(root =>
        {
            foreach (var type in DataTypes.All)
            {
                ModelRepositoryBuilder.Add(root, ModelName(type), TestModels.Identity(type, [-1, 3]));
            }
        });
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
