using Inferd.Abstractions.Tensors;

namespace Inferd.Processing.Pipelines;

/// <summary>A parsed <c>pipeline</c> config section.</summary>
/// <param name="Inputs">The pipeline's public inputs.</param>
/// <param name="Steps">Steps in an order where each reads only values produced before it.</param>
/// <param name="Outputs">The pipeline's public outputs.</param>
internal sealed record PipelineDefinition(IReadOnlyList<PipelineInput> Inputs, IReadOnlyList<StepDefinition> Steps, IReadOnlyList<PipelineOutput> Outputs);

/// <summary>A public input of a pipeline.</summary>
/// <param name="Name">Input (and value) name.</param>
/// <param name="DataType">Element type.</param>
/// <param name="Dims">Per-row dimensions after the batch dimension; empty for one element per row; -1 is variable.</param>
internal sealed record PipelineInput(string Name, DataType DataType, long[] Dims);

/// <summary>A public output of a pipeline.</summary>
/// <param name="Name">Output name clients see.</param>
/// <param name="From">The value it exposes.</param>
internal sealed record PipelineOutput(string Name, string From);
