namespace Inferd.Hosting;

/// <summary>Where the running server listens; -1 means that endpoint is off.</summary>
/// <param name="HttpPort">REST port.</param>
/// <param name="GrpcPort">gRPC port.</param>
/// <param name="Host">Bound address.</param>
public sealed record InferdServerInfo(int HttpPort, int GrpcPort, string Host)
{
    /// <summary>Port of <c>/metrics</c> (Prometheus text format, nothing else answers there); -1 when off.</summary>
    public int MetricsPort { get; init; } = -1;

    /// <summary>Base address of the REST endpoint.</summary>
    public Uri HttpAddress => new($"http://{Host}:{HttpPort}");

    /// <summary>Address of the gRPC endpoint.</summary>
    public Uri GrpcAddress => new($"http://{Host}:{GrpcPort}");

    /// <summary>Base address of the metrics endpoint (scrape <c>/metrics</c> under it).</summary>
    public Uri MetricsAddress => new($"http://{Host}:{MetricsPort}");
}
