using System.CommandLine;
using Inferd.Client;

namespace Inferd.Cli;

/// <summary>Exit codes, error reporting and cancellation shared by the commands.</summary>
internal static class Cli
{
    /// <summary>Success.</summary>
    public const int SuccessExitCode = 0;

    /// <summary>The operation failed (server error, unreachable server, invalid model).</summary>
    public const int FailureExitCode = 1;

    /// <summary>The command line is wrong; nothing was attempted.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Ctrl+C ended the command.</summary>
    public const int InterruptedExitCode = 130;

    /// <summary>"inferd serve" etc., for messages.</summary>
    public static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var r = parseResult.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(r.Command is RootCommand ? "inferd" : r.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>
    /// Runs a command body with the expected errors turned into one line on stderr and an exit code, so users never
    /// see stack traces for a wrong flag or an unreachable server. Ctrl+C and SIGTERM cancel the token.
    /// </summary>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body)
    {
        using var stop = new CancellationTokenSource();
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
        try
        {
            return await body(stop.Token);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("inferd: " + e.Message);
            return UsageExitCode;
        }
        catch (InferdClientException e)
        {
            var code = e.HttpStatusCode is { } http ? $" (HTTP {(int)http})" : e.GrpcStatusCode is { } grpc ? $" (gRPC {grpc})" : "";
            Console.Error.WriteLine($"inferd: error{code}: {e.Message}");
            return FailureExitCode;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("inferd: interrupted");
            return InterruptedExitCode;
        }
        catch (Inferd.Abstractions.Inference.InferenceException e)
        {
            Console.Error.WriteLine("inferd: error: " + e.Message);
            return FailureExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine("inferd: error: " + e.Message);
            return FailureExitCode;
        }

        void Stop(System.Runtime.InteropServices.PosixSignalContext context)
        {
            if (stop.IsCancellationRequested)
            {
                return; // A second Ctrl+C ends the process at once.
            }

            // Keep the process alive: the command winds down on the token and returns its own exit code.
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
