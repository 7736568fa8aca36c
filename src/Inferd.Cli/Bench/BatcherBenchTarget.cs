using Inferd.Abstractions.Inference;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Inferd.Processing.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Cli.Bench;

/// <summary>
/// In-process producers calling Inferd's facade (<see cref="InferenceService.InferAsync"/>) without a transport:
/// the scheduler and dynamic batching, measured on their own. Statistics come from the same service.
/// </summary>
internal sealed class BatcherBenchTarget : BenchTarget
{
    private readonly InferenceService _service;
    private readonly InferenceRequest _request;
    private readonly string _model;

    private BatcherBenchTarget(InferenceService service, InferenceRequest request, string model, int itemsPerRequest)
    {
        _service = service;
        _request = request;
        _model = model;
        ItemsPerRequest = itemsPerRequest;
    }

    public override int ItemsPerRequest { get; }

    public static async Task<BatcherBenchTarget> CreateAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var root = settings.ModelRepository!;
        if (!Directory.Exists(root))
        {
            throw new UsageException($"the model repository folder does not exist: {root}");
        }

        var service = await SingleModelService.StartAsync(root, settings.Model, new PipelineBackend(new OnnxRuntimeBackend()), cancellationToken).ConfigureAwait(false);
        try
        {
            var metadata = service.GetModelMetadata(settings.Model, null);
            var batches = service.GetModelConfig(settings.Model, null).MaxBatchSize > 0;
            var random = new Random(settings.Seed);
            var inputs = metadata.Inputs
                .Select(i => BenchInputs.Random(i.Name, i.DataType, BenchInputs.Shape(i.Name, i.Shape, batches, settings.BatchSize), random).ToInferenceTensor())
                .ToArray();
            var request = new InferenceRequest(settings.Model, null, null, inputs, [], new Dictionary<string, ParameterValue>());
            return new BatcherBenchTarget(service, request, settings.Model, batches ? settings.BatchSize : 1);
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override BenchWorker CreateWorker() => new Worker(_service, _request);

    public override Task<ServerStats?> ReadStatsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<ServerStats?>(ServerStats.From(_service.GetStatistics(_model, null)));

    public override ValueTask DisposeAsync() => _service.DisposeAsync();

    private sealed class Worker(InferenceService service, InferenceRequest request) : BenchWorker
    {
        public override async ValueTask<bool> SendAsync(CancellationToken cancellationToken)
        {
            await service.InferAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
    }
}
