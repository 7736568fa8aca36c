using System.Globalization;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Backends.OnnxRuntime;
using Inferd.Batch.Scoring;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Inferd.Testing;
using Inferd.Testing.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Batch.Tests.Jobs;

/// <summary>A real in-process facade over a batching MLP (X float [N,4] → Y float [N,3]) and CSV inputs for it.</summary>
internal sealed class ModelFixture : IAsyncDisposable
{
    private readonly TempDirectory _temp;

    private ModelFixture(TempDirectory temp, InferenceService service)
    {
        _temp = temp;
        Service = service;
    }

    public InferenceService Service { get; }

    public string Root => _temp.Path;

    public static async Task<ModelFixture> StartAsync()
    {
        var temp = new TempDirectory();
        var dir = Path.Combine(temp.Path, "models", "mlp", "1");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), TestModels.Mlp(4, 8, 3, seed: 3));
        File.WriteAllText(Path.Combine(temp.Path, "models", "mlp", "config.json"), """{"name": "mlp", "max_batch_size": 32}""");
        var options = new ModelRepositoryOptions(Path.Combine(temp.Path, "models"), ModelControlMode.None, [], TimeSpan.FromSeconds(15), StrictReadiness: true);
        var service = new InferenceService(options, new OnnxRuntimeBackend(), new RequestLimits(), TimeProvider.System, NullLogger<InferenceService>.Instance);
        await service.StartAsync(CancellationToken.None).DefaultTimeout();
        return new ModelFixture(temp, service);
    }

    public IBatchScorer Scorer() => InProcessScorer.Create(Service, "mlp", null);

    /// <summary>Writes a CSV of <paramref name="rows"/> rows (id, a, b, c, d) and returns its path.</summary>
    public string WriteCsv(string name, int rows, int seed = 5)
    {
        var random = new Random(seed);
        var text = new StringBuilder("id,a,b,c,d\n");
        for (var r = 1; r <= rows; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"k{r},{random.NextSingle():R},{random.NextSingle():R},{random.NextSingle():R},{random.NextSingle():R}\n");
        }

        var path = Path.Combine(Root, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        _temp.Dispose();
    }
}
