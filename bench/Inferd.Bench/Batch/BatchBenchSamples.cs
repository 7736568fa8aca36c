namespace Inferd.Bench.Batch;

/// <summary>One timed raw ONNX Runtime window.</summary>
/// <param name="Rows">Rows scored (batch size × runs).</param>
/// <param name="Seconds">Length of the window.</param>
/// <param name="CpuSeconds">Process CPU time over the window (all threads).</param>
internal sealed record RawSample(long Rows, double Seconds, double CpuSeconds)
{
    /// <summary>Rows per second.</summary>
    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;

    /// <summary>Cores busy on average: CPU time ÷ wall time.</summary>
    public double CoresBusy => Seconds > 0 ? CpuSeconds / Seconds : 0;
}

/// <summary>One timed batch job.</summary>
/// <param name="Format">Input format name.</param>
/// <param name="Rows">Rows read.</param>
/// <param name="RowsOut">Rows written to the output.</param>
/// <param name="Seconds">Wall time of <c>BatchJobRunner.RunAsync</c>.</param>
/// <param name="AverageBatch">Rows per model execution, from the model's statistics.</param>
/// <param name="InferSeconds">Time the model spent executing during the job (statistics' compute_infer).</param>
/// <param name="CpuSeconds">Process CPU time during the job (all threads).</param>
internal sealed record JobSample(string Format, long Rows, long RowsOut, double Seconds, double AverageBatch, double InferSeconds, double CpuSeconds)
{
    /// <summary>Rows per second.</summary>
    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;

    /// <summary>Cores busy on average: CPU time ÷ wall time.</summary>
    public double CoresBusy => Seconds > 0 ? CpuSeconds / Seconds : 0;
}
