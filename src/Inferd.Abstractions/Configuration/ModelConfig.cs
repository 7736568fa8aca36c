namespace Inferd.Abstractions.Configuration;

/// <summary>
/// A model's configuration: the fields of Triton's ModelConfig that Inferd reads (protocol.md §11). Immutable;
/// a reload builds a new one and swaps it in.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Model name; equals the directory name.</summary>
    public required string Name { get; init; }

    /// <summary>Platform reported in metadata, e.g. <c>onnxruntime_onnx</c>.</summary>
    public string Platform { get; init; } = "";

    /// <summary>Backend, e.g. <c>onnxruntime</c>.</summary>
    public string Backend { get; init; } = "";

    /// <summary>Largest batch; 0 means the model does not batch and shapes are taken as they are.</summary>
    public int MaxBatchSize { get; init; }

    /// <summary>Inputs. Empty until completed from the model file when the user gave none.</summary>
    public IReadOnlyList<TensorConfig> Inputs { get; init; } = [];

    /// <summary>Outputs. Empty until completed from the model file when the user gave none.</summary>
    public IReadOnlyList<TensorConfig> Outputs { get; init; } = [];

    /// <summary>Which versions are served.</summary>
    public VersionPolicy VersionPolicy { get; init; } = VersionPolicy.Default;

    /// <summary>Instance groups.</summary>
    public IReadOnlyList<InstanceGroup> InstanceGroups { get; init; } = [];

    /// <summary>Model file name inside each version directory.</summary>
    public string DefaultModelFilename { get; init; } = "model.onnx";

    /// <summary>Backend parameters (string values), e.g. <c>intra_op_thread_count</c>.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Graph optimization level (optimization.graph.level); null means the backend default.</summary>
    public int? GraphOptimizationLevel { get; init; }

    /// <summary>Execution accelerators requested for GPU (names such as <c>cuda</c>).</summary>
    public IReadOnlyList<string> GpuExecutionAccelerators { get; init; } = [];

    /// <summary>Dynamic batching section, or null when absent.</summary>
    public DynamicBatchingConfig? DynamicBatching { get; init; }

    /// <summary>Whether the user asked for the response cache.</summary>
    public bool ResponseCacheEnabled { get; init; }

    /// <summary>Warmup samples run before the version reports READY.</summary>
    public IReadOnlyList<ModelWarmup> ModelWarmup { get; init; } = [];

    /// <summary>Whether the model may send 0..n responses per request (always false for ONNX models).</summary>
    public bool Decoupled { get; init; }

    /// <summary>
    /// The <c>pipeline</c> section as raw JSON (steps wired by name: pre-processing, ONNX models, other models of the
    /// repository, post-processing), or null for a plain model. Core keeps it opaque; the pipeline backend parses it.
    /// </summary>
    public string? Pipeline { get; init; }

    /// <summary>
    /// The <c>monitoring</c> section as raw JSON (prediction log sampling and redaction, the task for live accuracy,
    /// drift and fairness settings), or null. Core keeps it opaque; the monitoring project parses it.
    /// </summary>
    public string? Monitoring { get; init; }

    /// <summary>
    /// The <c>explain</c> section as raw JSON (background data set, feature names, default method and budget of the
    /// explainers), or null. Core keeps it opaque; the explain project parses it.
    /// </summary>
    public string? Explain { get; init; }

    /// <summary>Reads a backend parameter as an integer.</summary>
    public int? GetIntParameter(string key) =>
        Parameters.TryGetValue(key, out var s) && int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
}
