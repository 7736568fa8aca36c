using Inferd.Client;

namespace Inferd.Cli.Commands;

/// <summary>Turns <c>--input</c> specs and <c>--input-file</c> files into one request.</summary>
internal static class InferInputs
{
    private static readonly byte[] NpyMagic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static async Task<ClientInferRequest> BuildAsync(IInferdClient client, string model, string[] specs, string[] files, CancellationToken cancellationToken)
    {
        ClientInferRequest? fromJson = null;
        var inputs = new List<ClientTensor>();
        foreach (var item in files)
        {
            var (name, path) = SplitNamedFile(item);
            var content = await ReadFileAsync(path, cancellationToken);
            if (content.AsSpan().StartsWith(NpyMagic))
            {
                name ??= await SingleInputNameAsync(client, model, path, cancellationToken);
                inputs.Add(Wrap(path, () => NpyReader.Read(name, content)));
                continue;
            }

            if (name is not null)
            {
                throw new UsageException($"--input-file {item}: NAME=FILE is for .npy files; a JSON request names its inputs itself");
            }

            if (fromJson is not null)
            {
                throw new UsageException("give at most one JSON request file");
            }

            var text = System.Text.Encoding.UTF8.GetString(content);
            fromJson = Wrap(path, () => InferJson.ParseRequest(model, text));
            inputs.AddRange(fromJson.Inputs);
        }

        foreach (var spec in specs)
        {
            inputs.Add(Wrap("--input", () => TensorSpec.Parse(spec)));
        }

        var duplicate = inputs.GroupBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UsageException($"input '{duplicate.Key}' is given more than once");
        }

        var request = new ClientInferRequest(model, inputs);
        return fromJson is null
            ? request
            : request with { Id = fromJson.Id, Outputs = fromJson.Outputs, Parameters = fromJson.Parameters };
    }

    private static (string? Name, string Path) SplitNamedFile(string item)
    {
        var eq = item.IndexOf('=', StringComparison.Ordinal);
        return File.Exists(item) || eq <= 0 ? (null, item) : (item[..eq], item[(eq + 1)..]);
    }

    private static async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--input-file: no such file: {path}");
        }

        return await File.ReadAllBytesAsync(path, cancellationToken);
    }

    private static async Task<string> SingleInputNameAsync(IInferdClient client, string model, string path, CancellationToken cancellationToken)
    {
        var metadata = await client.GetModelMetadataAsync(model, null, cancellationToken);
        return metadata.Inputs.Count == 1
            ? metadata.Inputs[0].Name
            : throw new UsageException(
                $"{path}: model '{model}' has {metadata.Inputs.Count} inputs ({string.Join(", ", metadata.Inputs.Select(i => i.Name))}); name the input with --input-file NAME={path}");
    }

    private static T Wrap<T>(string source, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new UsageException($"{source}: {e.Message}");
        }
    }
}
