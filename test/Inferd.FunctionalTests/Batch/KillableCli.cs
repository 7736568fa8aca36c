using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Batch;

/// <summary>
/// Runs <c>inferd batch</c> as a child process and, when asked, kills it with SIGKILL (what <c>kill -9</c> sends;
/// <see cref="Process.Kill()"/> uses it on Linux) as soon as its progress lines report a given number of output rows.
/// </summary>
internal static partial class KillableCli
{
    public static async Task<(bool Killed, int ExitCode, string StdErr)> RunAsync(string[] args, long? killAfterRows)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "inferd.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = new System.Text.StringBuilder();
        var killed = false;
        long? first = null;
        var reading = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                stderr.AppendLine(line);
                var match = RowsOut().Match(line);
                if (!match.Success)
                {
                    continue;
                }

                var rows = long.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                first ??= rows;
                if (!killed && killAfterRows is { } delta && rows >= first + delta)
                {
                    killed = true;
                    process.Kill();
                }
            }
        });
        try
        {
            await process.WaitForExitAsync().DefaultTimeout();
            await reading.DefaultTimeout();
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdout;
        return (killed, process.ExitCode, stderr.ToString());
    }

    [GeneratedRegex(@"([\d,]+) rows out")]
    private static partial Regex RowsOut();
}
