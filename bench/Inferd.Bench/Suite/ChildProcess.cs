using System.Diagnostics;

namespace Inferd.Bench.Suite;

/// <summary>Starts the Inferd CLI (a <c>.dll</c> through <c>dotnet</c>, or an executable), pinned with taskset when asked.</summary>
/// <param name="cliPath">inferd.dll or the inferd executable.</param>
internal sealed class CliLauncher(string cliPath)
{
    /// <summary>The CLI path.</summary>
    public string CliPath { get; } = Path.GetFullPath(cliPath);

    /// <summary>
    /// A start description for <c>inferd ARGS</c> on <paramref name="cpus"/> (empty: unpinned). taskset execs the
    /// command, and <c>dotnet app.dll</c> runs the app in the same process, so the started process id is the app's.
    /// </summary>
    public ProcessStartInfo StartInfo(IReadOnlyList<string> arguments, IReadOnlyList<int> cpus)
    {
        var command = new List<string>();
        if (cpus.Count > 0)
        {
            command.AddRange([CpuLayout.TasksetPath() ?? "taskset", "-c", CpuLayout.List(cpus)]);
        }

        if (CliPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            command.AddRange(["dotnet", CliPath]);
        }
        else
        {
            command.Add(CliPath);
        }

        command.AddRange(arguments);
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    /// <summary>
    /// Runs <c>inferd ARGS</c> to completion within <paramref name="timeout"/> (then kills it); returns the exit code
    /// and the combined output (the last 64 KB).
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> arguments, IReadOnlyList<int> cpus, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(arguments, cpus)) ?? throw new InvalidOperationException("could not start " + CliPath);
        var output = new BoundedLog(64 * 1024);
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return (-1, output + $"\n(killed after {timeout.TotalSeconds:F0} s)");
        }

        // The parameterless wait drains the redirected output.
        await process.WaitForExitAsync(CancellationToken.None);
        return (process.ExitCode, output.ToString());
    }
}

/// <summary>The tail of a process's output, bounded in size, safe to add to from the output and error callbacks.</summary>
/// <param name="maxChars">Characters kept.</param>
internal sealed class BoundedLog(int maxChars)
{
    private readonly Lock _lock = new();
    private readonly System.Text.StringBuilder _text = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _text.Append(line).Append('\n');
            if (_text.Length > maxChars)
            {
                _text.Remove(0, _text.Length - maxChars);
            }
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return _text.ToString();
        }
    }
}
