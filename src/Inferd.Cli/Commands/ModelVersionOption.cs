using System.CommandLine;

namespace Inferd.Cli.Commands;

/// <summary>The <c>--model-version</c> option shared by the commands that send one request.</summary>
internal static class ModelVersionOption
{
    public static Option<string?> Create() => new("--model-version", "--version")
    {
        Description = "Model version; the server picks one by policy when omitted.",
        HelpName = "VERSION",
    };
}
