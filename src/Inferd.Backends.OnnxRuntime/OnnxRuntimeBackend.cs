using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Inferd.Backends.OnnxRuntime;

/// <summary>The ONNX Runtime backend: CPU by default, CUDA when the GPU package and a device are present.</summary>
public sealed class OnnxRuntimeBackend : IModelBackend
{
    /// <summary>Largest model file accepted: protobuf cannot hold more than 2 GB in one file.</summary>
    public const long MaxModelFileBytes = 2L * 1024 * 1024 * 1024;

    private readonly ILogger _logger;
    private readonly Lazy<bool> _cudaAvailable;

    /// <summary>Creates the backend.</summary>
    public OnnxRuntimeBackend(ILogger<OnnxRuntimeBackend>? logger = null)
    {
        _logger = logger ?? NullLogger<OnnxRuntimeBackend>.Instance;
        _cudaAvailable = new Lazy<bool>(() => OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"));
    }

    /// <inheritdoc />
    public string Name => "onnxruntime";

    /// <inheritdoc />
    public string Platform => "onnxruntime_onnx";

    /// <inheritdoc />
    public Task<ILoadedModel> LoadAsync(ModelLoadContext context, CancellationToken cancellationToken)
    {
        var file = new FileInfo(context.ModelFilePath);
        if (!file.Exists)
        {
            throw new InferenceException(InferenceErrorKind.InvalidInput, $"version {context.Version} has no model file '{context.Config.DefaultModelFilename}'");
        }

        if (file.Length > MaxModelFileBytes)
        {
            throw new InferenceException(InferenceErrorKind.InvalidInput, $"model file of version {context.Version} is larger than 2 GB");
        }

        var config = context.Config;
        var instanceCount = Math.Max(1, config.InstanceGroups.Sum(g => Math.Max(0, g.Count)));
        var wantsGpu = config.InstanceGroups.Any(g => g.Kind == InstanceKind.Gpu)
            || config.GpuExecutionAccelerators.Contains("cuda", StringComparer.OrdinalIgnoreCase);
        var autoGpu = config.InstanceGroups.Count == 0 || config.InstanceGroups.Any(g => g.Kind == InstanceKind.Auto);
        var useCuda = (wantsGpu || autoGpu) && _cudaAvailable.Value;
        if (wantsGpu && !_cudaAvailable.Value)
        {
            OnnxLog.CudaUnavailable(_logger, context.ModelName, context.Version);
        }

        if (string.Equals(config.Parameters.GetValueOrDefault("instance_layout"), "auto", StringComparison.OrdinalIgnoreCase) && !useCuda)
        {
            return Task.FromResult<ILoadedModel>(LoadAuto(context, cancellationToken));
        }

        var sessions = CreateSessions(context, config, instanceCount, useCuda, cancellationToken, out var provider);
        ModelSignature signature;
        try
        {
            signature = ReadSignature(sessions[0]);
        }
        catch
        {
            Dispose(sessions);
            throw;
        }

        var description = $"provider={provider} instances={instanceCount} intra_op_threads={IntraThreads(config, instanceCount)} spinning={(instanceCount > 1 ? "off" : "on")}";
        OnnxLog.Loaded(_logger, context.ModelName, context.Version, description);
        return Task.FromResult<ILoadedModel>(new OnnxLoadedModel(sessions, signature, description));
    }

    /// <summary>Measures each candidate layout and keeps the fastest (see <see cref="LayoutProbe"/>).</summary>
    private OnnxLoadedModel LoadAuto(ModelLoadContext context, CancellationToken cancellationToken)
    {
        var cores = Math.Max(1, Environment.ProcessorCount);
        InferenceSession[]? best = null;
        ModelSignature? signature = null;
        var bestRate = -1.0;
        var bestLayout = (Instances: 1, Threads: cores);
        var measured = new List<string>();
        foreach (var (instances, threads) in LayoutProbe.Candidates(cores))
        {
            var parameters = new Dictionary<string, string>(context.Config.Parameters) { ["intra_op_thread_count"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var config = context.Config with { Parameters = parameters };
            var sessions = CreateSessions(context, config, instances, useCuda: false, cancellationToken, out _);
            double rate;
            try
            {
                signature ??= ReadSignature(sessions[0]);
                rate = LayoutProbe.Measure(sessions, signature, cancellationToken);
            }
            catch
            {
                Dispose(sessions);
                Dispose(best);
                throw;
            }

            measured.Add($"{instances}x{threads}: {LayoutProbe.Rate(rate)} runs/s");
            if (rate > bestRate)
            {
                Dispose(best);
                (best, bestRate, bestLayout) = (sessions, rate, (instances, threads));
            }
            else
            {
                Dispose(sessions);
            }
        }

        var description = $"provider=CPU instances={bestLayout.Instances} intra_op_threads={bestLayout.Threads} spinning={(bestLayout.Instances > 1 ? "off" : "on")} layout=auto (batch-1 zero inputs, {string.Join(", ", measured)})";
        OnnxLog.Loaded(_logger, context.ModelName, context.Version, description);
        return new OnnxLoadedModel(best!, signature!, description);
    }

    private InferenceSession[] CreateSessions(ModelLoadContext context, ModelConfig config, int instanceCount, bool useCuda, CancellationToken cancellationToken, out string provider)
    {
        var sessions = new InferenceSession[instanceCount];
        var created = 0;
        provider = "CPU";
        var sessionContext = context with { Config = config };
        try
        {
            for (var i = 0; i < instanceCount; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sessions[i] = CreateSession(sessionContext, instanceCount, useCuda, out provider);
                created++;
            }

            return sessions;
        }
        catch
        {
            for (var i = 0; i < created; i++)
            {
                sessions[i].Dispose();
            }

            throw;
        }
    }

    private static void Dispose(InferenceSession[]? sessions)
    {
        foreach (var s in sessions ?? [])
        {
            s.Dispose();
        }
    }

    private InferenceSession CreateSession(ModelLoadContext context, int instanceCount, bool useCuda, out string provider)
    {
        var options = SessionOptionsFactory.Create(context.Config, instanceCount, useCuda, out provider, out var cudaError);
        using (options)
        {
            if (cudaError is not null)
            {
                OnnxLog.CudaFallback(_logger, context.ModelName, context.Version, cudaError);
            }

            try
            {
                return new InferenceSession(context.ModelFilePath, options);
            }
            catch (OnnxRuntimeException ex) when (provider == "CUDA")
            {
                // A CUDA session can fail at creation (driver mismatch); fall back to CPU rather than fail the load.
                OnnxLog.CudaFallback(_logger, context.ModelName, context.Version, OrtMessages.Sanitize(ex.Message));
                using var cpu = SessionOptionsFactory.Create(context.Config, instanceCount, useCuda: false, out provider, out _);
                return CreateOrThrow(context, cpu);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new InferenceException(InferenceErrorKind.InvalidInput, "ONNX Runtime could not load the model: " + OrtMessages.Sanitize(ex.Message), ex);
            }
        }
    }

    private static InferenceSession CreateOrThrow(ModelLoadContext context, SessionOptions options)
    {
        try
        {
            return new InferenceSession(context.ModelFilePath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InferenceException(InferenceErrorKind.InvalidInput, "ONNX Runtime could not load the model: " + OrtMessages.Sanitize(ex.Message), ex);
        }
    }

    private static int IntraThreads(ModelConfig config, int instanceCount) =>
        config.GetIntParameter("intra_op_thread_count") ?? Math.Max(1, Environment.ProcessorCount / instanceCount);

    private static ModelSignature ReadSignature(InferenceSession session)
    {
        static TensorSignature Read(string name, NodeMetadata meta, string role)
        {
            if (meta.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR)
            {
                throw new InferenceException(InferenceErrorKind.Unsupported, $"{role} '{name}' is a {meta.OnnxValueType}; the protocol carries tensors only (no sequence, map or optional values)");
            }

            var type = ElementTypes.FromOrt(meta.ElementDataType);
            if (type == DataType.Invalid)
            {
                throw new InferenceException(InferenceErrorKind.Unsupported, $"{role} '{name}' has element type {meta.ElementDataType}, which the protocol cannot carry");
            }

            var shape = meta.Dimensions.Select(d => d < 0 ? -1L : d).ToArray();
            return new TensorSignature(name, type, shape);
        }

        var inputs = session.InputNames.Select(n => Read(n, session.InputMetadata[n], "input")).ToArray();
        var outputs = session.OutputNames.Select(n => Read(n, session.OutputMetadata[n], "output")).ToArray();
        return new ModelSignature(inputs, outputs);
    }
}
