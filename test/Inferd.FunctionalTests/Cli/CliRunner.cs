using Inferd.FunctionalTests.ForeignClients;

namespace Inferd.FunctionalTests.Cli;

/// <summary>Runs the real <c>inferd</c> executable (built beside the tests) as a separate process.</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] args) =>
        ExternalProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "inferd.dll"), .. args]);
}
