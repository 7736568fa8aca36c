using System.CommandLine;
using Inferd.Cli;

var root = new RootCommand("inferd: serve ONNX models over the Open Inference Protocol (KServe v2) with REST and gRPC.")
{
    ServeCommand.Create(),
    ValidateCommand.Create(),
};
foreach (var command in CommandCatalog.Extra())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
