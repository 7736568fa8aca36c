using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Inferd.Bench.Suite;

/// <summary>
/// <c>inferd serve</c> as a child process on free loopback ports, with its output in a log file; reads the server's
/// own counters (<c>/v2/inferd/runtime</c>, <c>/v2/models/{m}/stats</c>) for the suite.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly HttpClient _http;

    private ServerProcess(Process process, StreamWriter log, int httpPort, int grpcPort)
    {
        _process = process;
        _log = log;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
        _http = new HttpClient { BaseAddress = new Uri(HttpUrl), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The server's process id (for the load generator's CPU accounting).</summary>
    public int Pid => _process.Id;

    /// <summary>REST port.</summary>
    public int HttpPort { get; }

    /// <summary>gRPC port.</summary>
    public int GrpcPort { get; }

    /// <summary>REST base address.</summary>
    public string HttpUrl => $"http://127.0.0.1:{HttpPort}";

    /// <summary>gRPC base address.</summary>
    public string GrpcUrl => $"http://127.0.0.1:{GrpcPort}";

    /// <summary>What the load generator needs to reach and account the server.</summary>
    public ServerAddress Address => new(HttpUrl, GrpcUrl, Pid);

    /// <summary>Starts the server over <paramref name="repository"/> and waits until it answers ready (every model loaded).</summary>
    public static async Task<ServerProcess> StartAsync(CliLauncher cli, string repository, IReadOnlyList<int> cpus, string logPath, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        var (httpPort, grpcPort) = (FreePort(), FreePort());
        var arguments = new[]
        {
            "serve", "--model-repository", repository, "--host", "127.0.0.1",
            "--http-port", httpPort.ToString(CultureInfo.InvariantCulture),
            "--grpc-port", grpcPort.ToString(CultureInfo.InvariantCulture),
            "--metrics-port", "-1",
        };
        var process = Process.Start(cli.StartInfo(arguments, cpus)) ?? throw new InvalidOperationException("could not start " + cli.CliPath);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var writeLock = new Lock();
        DataReceivedEventHandler write = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (writeLock)
                {
                    log.WriteLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += write;
        process.ErrorDataReceived += write;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, httpPort, grpcPort);
        try
        {
            await server.WaitReadyAsync(readyTimeout, logPath, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server's GC counters and the model's request counts now; null when the server cannot say.</summary>
    public async Task<ServerCounters?> ReadCountersAsync(string? model, CancellationToken cancellationToken)
    {
        try
        {
            using var runtime = JsonDocument.Parse(await _http.GetStringAsync("/v2/inferd/runtime", cancellationToken));
            var r = runtime.RootElement;
            long requests = 0, executions = 0;
            if (model is not null)
            {
                using var stats = JsonDocument.Parse(await _http.GetStringAsync($"/v2/models/{Uri.EscapeDataString(model)}/stats", cancellationToken));
                foreach (var version in stats.RootElement.GetProperty("model_stats").EnumerateArray())
                {
                    requests += version.GetProperty("inference_count").GetInt64();
                    executions += version.GetProperty("execution_count").GetInt64();
                }
            }

            return new ServerCounters(
                r.GetProperty("allocated_bytes").GetInt64(),
                r.GetProperty("gen0").GetInt64(),
                r.GetProperty("gen1").GetInt64(),
                r.GetProperty("gen2").GetInt64(),
                r.GetProperty("loh_bytes").GetInt64(),
                requests,
                executions,
                Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Stops the server with SIGTERM (a graceful drain), then kills it if it is still running after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            try
            {
                using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
                if (kill is not null)
                {
                    await kill.WaitForExitAsync();
                }

                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.ComponentModel.Win32Exception)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }

    private async Task WaitReadyAsync(TimeSpan timeout, string logPath, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"inferd serve exited with code {_process.ExitCode} before it was ready; see {logPath}");
            }

            try
            {
                using var response = await _http.GetAsync("/v2/health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"inferd serve was not ready after {timeout.TotalSeconds:F0} s; see {logPath}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The server's addresses and process id.</summary>
/// <param name="HttpUrl">REST base address.</param>
/// <param name="GrpcUrl">gRPC base address.</param>
/// <param name="Pid">Process id.</param>
internal sealed record ServerAddress(string HttpUrl, string GrpcUrl, int Pid);

/// <summary>A reading of the server's counters; subtract two with <see cref="Delta"/>.</summary>
internal sealed record ServerCounters(long AllocatedBytes, long Gen0, long Gen1, long Gen2, long LohBytes, long Requests, long Executions, long Timestamp)
{
    /// <summary>What changed from <paramref name="before"/> to this reading.</summary>
    public ServerDelta Delta(ServerCounters before) => new(
        AllocatedBytes - before.AllocatedBytes,
        Gen0 - before.Gen0,
        Gen1 - before.Gen1,
        Gen2 - before.Gen2,
        LohBytes - before.LohBytes,
        Requests - before.Requests,
        Executions - before.Executions,
        Stopwatch.GetElapsedTime(before.Timestamp, Timestamp).TotalSeconds);
}
