using Inferd.Abstractions.Inference;
using Inferd.Batch.Jobs;
using Inferd.Core.Inference;

namespace Inferd.Batch.Service;

/// <summary>The checks a job (submitted, or a schedule's template) passes before it is stored: its paths and its model.</summary>
internal sealed class JobChecks(DataFolder folder, IInferenceService service)
{
    /// <summary>Resolves a job's input (which must exist) and output, neither inside the other.</summary>
    /// <exception cref="BatchJobException">A path is invalid, the input is missing, or the two overlap.</exception>
    public (DataPath Input, DataPath Output) ResolvePaths(string input, string output, bool inputIsFolder)
    {
        var source = folder.Resolve(input);
        if (inputIsFolder ? !Directory.Exists(source.FullPath) : !Path.Exists(source.FullPath))
        {
            throw new BatchJobException(inputIsFolder ? $"input folder '{source.Relative}' does not exist" : $"input '{source.Relative}' does not exist");
        }

        var target = folder.Resolve(output);
        if (DataFolder.IsInside(target.RealPath, source.RealPath))
        {
            throw new BatchJobException(target.RealPath == source.RealPath
                ? $"output '{target.Relative}' is the input; write the output elsewhere"
                : $"output '{target.Relative}' lies inside the input '{source.Relative}'; write it elsewhere");
        }

        if (DataFolder.IsInside(source.RealPath, target.RealPath))
        {
            throw new BatchJobException($"input '{source.Relative}' lies inside the output '{target.Relative}'; keep them apart");
        }

        return (source, target);
    }

    /// <summary>Refuses a model the repository does not have; one that is loading (or unloaded) is accepted.</summary>
    /// <exception cref="BatchServiceException">The model or version is unknown.</exception>
    public void CheckModel(string model, string? version)
    {
        try
        {
            service.GetModelMetadata(model, version);
        }
        catch (InferenceException e) when (e.Kind == InferenceErrorKind.ModelNotFound)
        {
            throw new BatchServiceException(BatchServiceError.NotFound, e.Message);
        }
        catch (InferenceException)
        {
            // Not ready now; the job's run reports it if it still is then.
        }
    }
}
