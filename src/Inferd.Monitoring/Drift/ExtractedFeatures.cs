namespace Inferd.Monitoring.Drift;

/// <summary>The features of one request: its inputs and its outputs (the prediction), column by column.</summary>
/// <param name="Rows">Rows of the request (the largest row count of its tensors).</param>
/// <param name="Inputs">Input features.</param>
/// <param name="Outputs">Output features.</param>
internal sealed record ExtractedFeatures(int Rows, IReadOnlyList<FeatureColumn> Inputs, IReadOnlyList<FeatureColumn> Outputs);
