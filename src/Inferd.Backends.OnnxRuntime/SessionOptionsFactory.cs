using Inferd.Abstractions.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace Inferd.Backends.OnnxRuntime;

/// <summary>
/// Builds <see cref="SessionOptions"/> from a model config, with the keys of Triton's ONNX Runtime backend
/// (protocol.md §11.6) so existing configs keep their meaning.
/// </summary>
internal static class SessionOptionsFactory
{
    /// <summary>Creates options. Ownership: the caller disposes them after the session is created.</summary>
    /// <param name="config">Model config.</param>
    /// <param name="instanceCount">Sessions that will share the cores.</param>
    /// <param name="useCuda">Whether to try the CUDA provider.</param>
    /// <param name="provider">Which provider was configured ("CUDA" or "CPU").</param>
    /// <param name="cudaError">Why CUDA could not be used, when it was asked for and failed.</param>
    public static SessionOptions Create(ModelConfig config, int instanceCount, bool useCuda, out string provider, out string? cudaError)
    {
        var options = new SessionOptions
        {
            // ORT's own warnings (old opsets, initializers listed as inputs) are about the file, not the request; at
            // the default level one conformance run prints thousands of them and buries the server's log.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // Thread budget: sessions × intra-op threads never exceed the cores unless configured; Triton's default
        // layout (2 instances each using every core) oversubscribes and was measured 3× slower on CPU.
        var cores = Math.Max(1, Environment.ProcessorCount);
        var intra = config.GetIntParameter("intra_op_thread_count") ?? Math.Max(1, cores / Math.Max(1, instanceCount));
        options.IntraOpNumThreads = intra;
        if (config.GetIntParameter("inter_op_thread_count") is { } inter)
        {
            options.InterOpNumThreads = inter;
        }

        options.ExecutionMode = config.GetIntParameter("execution_mode") == 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL;
        if (config.GetIntParameter("enable_mem_arena") is { } arena)
        {
            options.EnableCpuMemArena = arena != 0;
        }

        if (config.GetIntParameter("enable_mem_pattern") is { } pattern)
        {
            options.EnableMemoryPattern = pattern != 0;
        }

        // Spinning threads burn cores that other sessions need; switch it off when sessions share the machine, or
        // when the config says so (a batch job's reader and writer share the cores with the model).
        if (config.GetIntParameter("allow_spinning") is { } spin ? spin == 0 : instanceCount > 1)
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        options.GraphOptimizationLevel = config.GraphOptimizationLevel switch
        {
            -1 => GraphOptimizationLevel.ORT_DISABLE_ALL,
            1 => GraphOptimizationLevel.ORT_ENABLE_BASIC,
            2 => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
        };

        provider = "CPU";
        cudaError = null;
        if (useCuda)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(0);
                provider = "CUDA";
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                cudaError = ex.GetType().Name;
            }
        }

        return options;
    }
}
