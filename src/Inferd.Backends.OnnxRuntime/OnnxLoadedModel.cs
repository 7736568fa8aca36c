using System.Buffers;
using System.Diagnostics;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Inferd.Backends.OnnxRuntime;

/// <summary>
/// One loaded version: one <see cref="InferenceSession"/> per instance; the scheduler runs one batch per instance at a time. Owns the sessions and
/// disposes them; the repository disposes this object only after the last request using it has finished.
/// </summary>
internal sealed class OnnxLoadedModel : ILoadedModel
{
    private readonly InferenceSession[] _sessions;

    // One RunOptions per instance, reused: the scheduler runs one batch per instance at a time, and creating a native
    // RunOptions (with its finalizer) on every run cost about a microsecond of a 5 µs no-op request.
    private readonly RunOptions[] _runOptions;
    private int _disposed;

    public OnnxLoadedModel(InferenceSession[] sessions, ModelSignature signature, string description)
    {
        _sessions = sessions;
        _runOptions = sessions.Select(_ => new RunOptions()).ToArray();
        Signature = signature;
        Description = description;
    }

    public ModelSignature Signature { get; }

    public string Description { get; }

    public int InstanceCount => _sessions.Length;

    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(
        int instance,
        IReadOnlyList<InferenceTensor> inputs,
        IReadOnlyList<string> outputNames,
        RunTimings timings,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentOutOfRangeException.ThrowIfNegative(instance);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(instance, _sessions.Length);
        var session = _sessions[instance];

        var start = Stopwatch.GetTimestamp();
        var names = new string[inputs.Count];
        var values = new OrtValue[inputs.Count];
        var pins = new MemoryHandle[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                names[i] = inputs[i].Name;
                values[i] = OrtTensorMarshal.CreateInput(inputs[i], out pins[i]);
            }

            var afterInput = Stopwatch.GetTimestamp();
            timings.ComputeInputNs = ElapsedNs(start, afterInput);

            var runOptions = _runOptions[instance];
            IDisposableReadOnlyCollection<OrtValue> results;
            // The token terminates a running native call; ORT checks the flag between kernels.
            var registration = cancellationToken.UnsafeRegister(static s => ((RunOptions)s!).Terminate = true, runOptions);
            try
            {
                results = session.Run(runOptions, names, values, outputNames as IReadOnlyCollection<string> ?? outputNames.ToArray());
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (OnnxRuntimeException ex)
            {
                // ORT's message can name internal nodes and paths; keep it out of the client's view.
                throw new InferenceException(InferenceErrorKind.InvalidInput, "the model could not run on these inputs: " + OrtMessages.Sanitize(ex.Message), ex);
            }
            finally
            {
                // Dispose waits for a callback already running, so after it no one sets the flag; clear it for the next run.
                registration.Dispose();
                if (runOptions.Terminate)
                {
                    runOptions.Terminate = false;
                }
            }

            var afterInfer = Stopwatch.GetTimestamp();
            timings.ComputeInferNs = ElapsedNs(afterInput, afterInfer);
            using (results)
            {
                var outputs = new InferenceTensor[outputNames.Count];
                var k = 0;
                foreach (var value in results)
                {
                    outputs[k] = OrtTensorMarshal.ReadOutput(outputNames[k], value);
                    k++;
                }

                timings.ComputeOutputNs = ElapsedNs(afterInfer, Stopwatch.GetTimestamp());
                return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>(outputs);
            }
        }
        finally
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i]?.Dispose();
                pins[i].Dispose();
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var session in _sessions)
        {
            session.Dispose();
        }

        foreach (var options in _runOptions)
        {
            options.Dispose();
        }
    }

    private static long ElapsedNs(long from, long to) => (long)((to - from) * (1_000_000_000.0 / Stopwatch.Frequency));
}
