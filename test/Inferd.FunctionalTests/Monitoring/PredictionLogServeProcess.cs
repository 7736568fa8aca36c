using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>
/// <c>inferd serve</c> as a child process with REST on a free loopback port, killed with SIGKILL (what
/// <c>kill -9</c> sends; <see cref="Process.Kill()"/> uses it on Linux) or left to the end of the test.
/// </summary>
internal sealed class PredictionLogServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private PredictionLogServeProcess(Process process, StringBuilder output, int port)
    {
        _process = process;
        _output = output;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TestTimeouts.Default };
    }

    public HttpClient Http { get; }

    /// <summary>Starts the server with <paramref name="extraArgs"/> and waits until it reports ready.</summary>
    public static async Task<PredictionLogServeProcess> StartAsync(string repository, params string[] extraArgs)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "inferd.dll"));
            foreach (var a in new[] { "serve", "--model-repository", repository, "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--grpc-port", "-1", "--metrics-port", "-1" }.Concat(extraArgs))
            {
                info.ArgumentList.Add(a);
            }

            var process = Process.Start(info)!;
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new PredictionLogServeProcess(process, output, port);
            if (await server.WaitReadyAsync())
            {
                return server;
            }

            var log = server.Output;
            await server.DisposeAsync();
            // A free port probed, then bound: a parallel test can take it in between. Try another.
            Assert.True(attempt < 3 && log.Contains("address already in use", StringComparison.Ordinal), "inferd serve did not become ready:\n" + log);
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>SIGKILL, then waits for the exit.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync().DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    private async Task<bool> WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await Http.GetAsync("/v2/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            // The child process gives no signal when it is ready; poll its readiness route.
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return false;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
