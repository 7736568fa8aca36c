using System.Diagnostics;
using System.Reflection;

namespace Inferd.Core.Telemetry;

/// <summary>
/// The trace source of the server and the names of its spans and attributes (docs/tracing.md). Spans are created only
/// while something listens to <see cref="SourceName"/> (an OTLP exporter or a test's listener), so tracing costs one
/// listener check per span site otherwise.
/// </summary>
public static class InferdTelemetry
{
    /// <summary>Name of the <see cref="ActivitySource"/>.</summary>
    public const string SourceName = "Inferd";

    /// <summary>One request through the facade, child of the incoming HTTP or gRPC request's span.</summary>
    public const string InferSpan = "infer";

    /// <summary>From enqueue until the request's batch started.</summary>
    public const string QueueSpan = "queue";

    /// <summary>One model execution; linked to every request it serves.</summary>
    public const string BatchSpan = "batch";

    /// <summary>Input preparation of a batch (merging included).</summary>
    public const string ComputeInputSpan = "compute_input";

    /// <summary>The model run itself (the ONNX Runtime session, or a whole pipeline).</summary>
    public const string ComputeInferSpan = "compute_infer";

    /// <summary>Output extraction of a batch (splitting included).</summary>
    public const string ComputeOutputSpan = "compute_output";

    /// <summary>Prefix of a pipeline step's span; the step name follows.</summary>
    public const string StepSpanPrefix = "step ";

    /// <summary>Attribute: model name.</summary>
    public const string ModelAttribute = "inferd.model";

    /// <summary>Attribute: model version.</summary>
    public const string VersionAttribute = "inferd.model.version";

    /// <summary>Attribute: the request's id, when the client gave one.</summary>
    public const string RequestIdAttribute = "inferd.request.id";

    /// <summary>Attribute: rows of a batch.</summary>
    public const string BatchSizeAttribute = "inferd.batch.size";

    /// <summary>Attribute: requests served by a batch.</summary>
    public const string BatchRequestsAttribute = "inferd.batch.requests";

    /// <summary>Attribute: a pipeline step's kind (<c>onnx</c>, <c>softmax</c>, ...).</summary>
    public const string StepKindAttribute = "inferd.step.kind";

    /// <summary>Attribute: where a step sits (<c>pre_processing</c>, <c>inference</c>, <c>post_processing</c>, <c>processing</c>).</summary>
    public const string StepPhaseAttribute = "inferd.step.phase";

    /// <summary>The source every Inferd span comes from.</summary>
    public static ActivitySource Source { get; } = new(
        SourceName,
        typeof(InferdTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]);
}
