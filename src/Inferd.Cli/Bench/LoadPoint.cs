namespace Inferd.Cli.Bench;

/// <summary>One load level: a closed loop with <see cref="Concurrency"/> outstanding requests, or an open loop at <see cref="RequestRate"/>.</summary>
internal sealed record LoadPoint(int? Concurrency, double? RequestRate);
