namespace Inferd.Cli.Bench;

/// <summary>Average server-side time per request in µs, and the average executed batch size.</summary>
internal sealed record ServerBreakdown(double QueueUs, double ComputeInputUs, double ComputeInferUs, double ComputeOutputUs, double? AverageBatch)
{
    /// <summary>Queue plus compute: the server's share of a request's latency that the statistics see.</summary>
    public double TotalUs => QueueUs + ComputeInputUs + ComputeInferUs + ComputeOutputUs;
}
