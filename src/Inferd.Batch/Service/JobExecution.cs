using Inferd.Batch.Jobs;
using Inferd.Batch.Scoring;
using Inferd.Core.Inference;
using Microsoft.Extensions.Logging;

namespace Inferd.Batch.Service;

/// <summary>
/// One run of a claimed job: resolves its stored spec, scores it in process with <see cref="BatchJobRunner"/>, and
/// stores how it ended. Every outcome ends in a stored state, so the queue always moves on.
/// </summary>
internal sealed class JobExecution(JobStore store, DataFolder folder, IInferenceService service, TimeProvider time, TimeSpan progressInterval, ILogger logger)
{
    private const string InterruptedMessage = "interrupted by a server stop; resumes from its last committed shard when the server starts again";

    public async Task RunAsync(string id, RunningJob run)
    {
        var progress = new ProgressRecorder(store, id, time, progressInterval);
        try
        {
            var stored = store.GetSpec(id) ?? throw new BatchJobException($"job {id} has no stored spec");
            var spec = folder.ResolveSpec(stored);
            await using var scorer = InProcessScorer.Create(service, spec.Model, spec.Version);
            var summary = await BatchJobRunner.RunAsync(spec, scorer, progress, run.Token).ConfigureAwait(false);
            store.Complete(id, summary, time.GetUtcNow());
            ServiceLog.Completed(logger, id, summary.TotalRowsOut, summary.TotalErrors);
        }
        catch (Exception) when (run.Token.IsCancellationRequested)
        {
            // Whatever surfaced (the runner's OperationCanceledException, or the facade refusing work while it shuts
            // down), the cause is the cancellation.
            progress.Flush();
            if (run.CancelRequested)
            {
                store.Finish(id, JobState.Cancelled, time.GetUtcNow(), "cancelled; shards committed before the cancellation stay in the output");
                ServiceLog.Cancelled(logger, id);
            }
            else
            {
                store.Requeue(id, InterruptedMessage);
                ServiceLog.Interrupted(logger, id);
            }
        }
        catch (Exception e) when (e is BatchJobException or BatchScoringException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // The job's own problem (its spec, its data, its model, its disk): the user reads why in the job.
            progress.Flush();
            var reason = folder.Redact(e.Message);
            store.Finish(id, JobState.Failed, time.GetUtcNow(), reason);
            ServiceLog.Failed(logger, id, reason);
        }
        catch (Exception e)
        {
            progress.Flush();
            store.Finish(id, JobState.Failed, time.GetUtcNow(), "internal error: " + folder.Redact(e.Message));
            ServiceLog.FailedUnexpectedly(logger, id, e);
        }
    }
}
