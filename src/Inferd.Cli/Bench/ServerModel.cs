using System.Text.Json;
using Inferd.Abstractions.Tensors;
using Inferd.Client;

namespace Inferd.Cli.Bench;

/// <summary>A served model's benchmark inputs, built once from its metadata and configuration.</summary>
internal sealed record ServerModel(IReadOnlyList<ClientTensor> Inputs, int ItemsPerRequest)
{
    /// <summary>Asks the server for the model's metadata and <c>max_batch_size</c> and builds random inputs.</summary>
    public static async Task<ServerModel> LoadAsync(IInferdClient client, BenchSettings settings, CancellationToken cancellationToken)
    {
        var metadata = await client.GetModelMetadataAsync(settings.Model, null, cancellationToken).ConfigureAwait(false);
        var config = await client.GetModelConfigJsonAsync(settings.Model, null, cancellationToken).ConfigureAwait(false);
        var batches = MaxBatchSize(config) > 0;
        var random = new Random(settings.Seed);
        var inputs = new List<ClientTensor>();
        foreach (var input in metadata.Inputs)
        {
            if (!DataTypes.TryParseWireName(input.Datatype, out var type))
            {
                throw new UsageException($"input '{input.Name}': unknown datatype '{input.Datatype}'");
            }

            inputs.Add(BenchInputs.Random(input.Name, type, BenchInputs.Shape(input.Name, input.Shape, batches, settings.BatchSize), random));
        }

        return new ServerModel(inputs, batches ? settings.BatchSize : 1);
    }

    private static long MaxBatchSize(string configJson)
    {
        using var doc = JsonDocument.Parse(configJson);
        var root = doc.RootElement.TryGetProperty("config", out var nested) ? nested : doc.RootElement;
        return root.TryGetProperty("max_batch_size", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
    }
}
