using System.Text.Json;

namespace Inferd.Processing.Pipelines;

/// <summary>One step of a pipeline as the config declares it.</summary>
/// <param name="Name">Unique step name (defaults to the kind and its position).</param>
/// <param name="Kind">Step kind, e.g. <c>image</c>, <c>onnx</c>, <c>topk</c>.</param>
/// <param name="Inputs">Port → value wiring; a port not listed reads the value of the same name.</param>
/// <param name="Outputs">Port → value wiring; a port not listed writes the value of the same name.</param>
/// <param name="Options">The kind's options (a cloned JSON object; empty object when absent).</param>
internal sealed record StepDefinition(
    string Name,
    string Kind,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Outputs,
    JsonElement Options);
