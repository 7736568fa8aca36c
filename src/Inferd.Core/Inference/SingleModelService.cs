using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Core.Inference;

/// <summary>
/// A facade with exactly one model of a repository loaded, for in-process work without a server: <c>inferd batch</c>,
/// the bench's <c>raw-batcher</c> mode and the batch benchmark.
/// </summary>
public static class SingleModelService
{
    /// <summary>Loads <paramref name="model"/> (explicit model control) and returns the started facade.</summary>
    /// <exception cref="DirectoryNotFoundException">The repository folder does not exist.</exception>
    /// <exception cref="InferenceException">The model is not in the repository (ModelNotFound) or failed to load (ModelNotReady), with the reason.</exception>
    public static async Task<InferenceService> StartAsync(string repository, string model, IModelBackend backend, CancellationToken cancellationToken, ILogger<InferenceService>? logger = null)
    {
        if (!Directory.Exists(repository))
        {
            throw new DirectoryNotFoundException($"the model repository folder does not exist: {repository}");
        }

        var options = new ModelRepositoryOptions(Path.GetFullPath(repository), ModelControlMode.Explicit, [model], TimeSpan.FromSeconds(15), StrictReadiness: true);
        var service = new InferenceService(options, backend, new RequestLimits(), TimeProvider.System, logger ?? NullLogger<InferenceService>.Instance);
        try
        {
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
            if (!service.IsModelReady(model, null))
            {
                var entry = service.GetRepositoryIndex(readyOnly: false).FirstOrDefault(e => e.Name == model);
                throw entry is null
                    ? new InferenceException(InferenceErrorKind.ModelNotFound, $"model '{model}' is not in the repository {repository}")
                    : new InferenceException(InferenceErrorKind.ModelNotReady, $"model '{model}' did not load: {entry.Reason}");
            }

            return service;
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
