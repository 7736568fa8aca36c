using System.CommandLine;
using Inferd.Client;

namespace Inferd.Cli.Commands;

/// <summary><c>inferd infer</c>: sends one inference request and prints the outputs.</summary>
internal static class InferCommand
{
    public static Command Create()
    {
        var endpoint = new ServerEndpoint();
        var model = new Argument<string>("model") { Description = "Model name." };
        var version = ModelVersionOption.Create();
        var input = new Option<string[]>("--input", "-i")
        {
            Description = "An input as NAME:DATATYPE:SHAPE:VALUES, e.g. INPUT0:INT32:1,4:1,2,3,4 (VALUES may be a JSON array, e.g. for strings with commas). Repeat for more inputs.",
            HelpName = "SPEC",
        };
        var inputFile = new Option<string[]>("--input-file", "-f")
        {
            Description = "A v2 JSON request file ({\"inputs\":[...]}) or a .npy file; a .npy feeds a single-input model unless written NAME=FILE.npy. Repeatable for .npy files.",
            HelpName = "FILE",
        };
        var output = new Option<string[]>("--output", "-o")
        {
            Description = "An output to return; repeat for more. Default: every output.",
            HelpName = "NAME",
        };
        var classification = new Option<int?>("--classification", "-c")
        {
            Description = "Return the top N classes of each requested output (classification extension) instead of raw values.",
            HelpName = "N",
        };
        var binary = new Option<bool>("--binary-data")
        {
            Description = "Send tensors in binary (REST binary extension, gRPC raw contents). 'false' sends typed JSON data or typed gRPC contents (FP16/BF16 stay binary). Default: true.",
            HelpName = "true|false",
            DefaultValueFactory = _ => true,
        };
        var id = new Option<string?>("--id") { Description = "Request id, echoed by the server.", HelpName = "ID" };
        var json = new Option<bool>("--json") { Description = "Print the response as v2 JSON with all values instead of a table." };
        var limit = new Option<int>("--max-values")
        {
            Description = "Values shown per output in the table.",
            DefaultValueFactory = _ => 16,
            HelpName = "N",
        };

        var command = new Command("infer", "Run one inference against a server and print the outputs.")
        {
            model, version, input, inputFile, output, classification, binary, id, json, limit,
        };
        endpoint.AddTo(command);

        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var modelName = parseResult.GetValue(model)!;
            var specs = parseResult.GetValue(input) ?? [];
            var files = parseResult.GetValue(inputFile) ?? [];
            var outputs = parseResult.GetValue(output) ?? [];
            var top = parseResult.GetValue(classification);
            if (specs.Length == 0 && files.Length == 0)
            {
                throw new UsageException("give the inputs with --input NAME:DATATYPE:SHAPE:VALUES or --input-file FILE");
            }

            if (top is <= 0)
            {
                throw new UsageException("--classification must be a positive number");
            }

            using var client = endpoint.CreateClient(parseResult);
            var request = await InferInputs.BuildAsync(client, modelName, specs, files, cancellationToken);
            if (outputs.Length == 0 && top is not null)
            {
                // Classification is asked per output: without --output, ask it for every output of the model.
                var metadata = await client.GetModelMetadataAsync(modelName, parseResult.GetValue(version), cancellationToken);
                outputs = metadata.Outputs.Select(o => o.Name).ToArray();
            }

            request = request with
            {
                ModelVersion = parseResult.GetValue(version) ?? request.ModelVersion,
                Id = parseResult.GetValue(id) ?? request.Id,
                Outputs = outputs.Length > 0 ? outputs.Select(o => new ClientRequestedOutput(o, top)).ToArray() : request.Outputs,
                Binary = parseResult.GetValue(binary),
                Raw = parseResult.GetValue(binary),
            };

            var response = await client.InferAsync(request, cancellationToken);
            Console.Out.WriteLine(parseResult.GetValue(json)
                ? InferJson.FormatResponse(response)
                : TensorTable.Format(response, Math.Max(1, parseResult.GetValue(limit))));
            return Cli.SuccessExitCode;
        }));
        return command;
    }
}
