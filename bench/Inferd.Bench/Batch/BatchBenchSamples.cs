namespace Inferd.Bench.Batch;

/// <summary>One timed raw ONNX Runtime window.</summary>
/// <param name="Rows">Rows scored (batch size × runs).</param>
/// <param name="Seconds">Length of the window.</param>
internal sealed record RawSample(long Rows, double Seconds)
{
    /// <summary>Rows per second.</summary>
    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;
}

/// <summary>One timed batch job.</summary>
/// <param name="Format">Input format name.</param>
/// <param name="Rows">Rows read.</param>
/// <param name="RowsOut">Rows written to the output.</param>
/// <param name="Seconds">Wall time of <c>BatchJobRunner.RunAsync</c>.</param>
/// <param name="AverageBatch">Rows per model execution, from the model's statistics.</param>
/// <param name="InferSeconds">Time the model spent executing during the job (statistics' compute_infer).</param>
internal sealed record JobSample(string Format, long Rows, long RowsOut, double Seconds, double AverageBatch, double InferSeconds)
{
    /// <summary>Rows per second.</summary>
    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;
}
