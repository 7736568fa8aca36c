using System.CommandLine;

namespace Inferd.Cli;

/// <summary>Commands beyond serve and validate (client-side commands), gathered in one place.</summary>
internal static partial class CommandCatalog
{
    public static IEnumerable<Command> Extra()
    {
        var commands = new List<Command>();
        AddClientCommands(commands);
        return commands;
    }

    static partial void AddClientCommands(List<Command> commands);
}
