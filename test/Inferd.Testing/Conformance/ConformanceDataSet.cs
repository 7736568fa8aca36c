using Inferd.Abstractions.Tensors;

namespace Inferd.Testing.Conformance;

/// <summary>One <c>test_data_set_N</c>: inputs to feed and golden outputs, named after the model's graph.</summary>
/// <param name="Directory">Absolute path of the data set directory.</param>
/// <param name="Inputs">From <c>input_K.pb</c>, in K order, named after the K-th graph input.</param>
/// <param name="Outputs">From <c>output_K.pb</c>, in K order, named after the K-th graph output.</param>
public sealed record ConformanceDataSet(string Directory, IReadOnlyList<InferenceTensor> Inputs, IReadOnlyList<InferenceTensor> Outputs);
