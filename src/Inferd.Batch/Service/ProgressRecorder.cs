using Inferd.Batch.Jobs;

namespace Inferd.Batch.Service;

/// <summary>
/// Writes a running job's progress to the store at most once per interval: the runner reports after every batch
/// (hundreds of times a second on a small model) and a database write per report would cost more than the scoring.
/// The latest report is kept, so <see cref="Flush"/> can write it when the run ends.
/// </summary>
internal sealed class ProgressRecorder(JobStore store, string jobId, TimeProvider time, TimeSpan interval) : IProgress<BatchProgress>
{
    private readonly Lock _gate = new();
    private long _lastWrite;
    private bool _wroteOnce;
    private BatchProgress? _unwritten;

    /// <summary>Writes so far; for tests of the throttle.</summary>
    public int Writes { get; private set; }

    public void Report(BatchProgress value)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_wroteOnce && time.GetElapsedTime(_lastWrite, now) < interval)
            {
                _unwritten = value;
                return;
            }

            _wroteOnce = true;
            _lastWrite = now;
            _unwritten = null;
            Write(value);
        }
    }

    /// <summary>Writes the latest report if the throttle held it back.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_unwritten is { } pending)
            {
                _unwritten = null;
                Write(pending);
            }
        }
    }

    private void Write(BatchProgress value)
    {
        store.ReportProgress(jobId, value);
        Writes++;
    }
}
