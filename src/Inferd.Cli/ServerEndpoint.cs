using System.CommandLine;
using Inferd.Client;

namespace Inferd.Cli;

/// <summary>The <c>--url</c> and <c>--protocol</c> options of client commands, and the client they select.</summary>
internal sealed class ServerEndpoint
{
    private const string DefaultHttpUrl = "http://127.0.0.1:8000";
    private const string DefaultGrpcUrl = "http://127.0.0.1:8001";

    public Option<string?> Url { get; } = new("--url", "-u")
    {
        Description = $"Server address. REST default {DefaultHttpUrl}; gRPC default {DefaultGrpcUrl}. A grpc:// address selects gRPC.",
        HelpName = "URL",
    };

    public Option<string> Protocol { get; } = new("--protocol", "-p")
    {
        Description = "Protocol to use: http (REST) or grpc.",
        DefaultValueFactory = _ => "http",
    };

    public ServerEndpoint()
    {
        Protocol.AcceptOnlyFromAmong("http", "grpc");
    }

    /// <summary>Adds both options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Add(Url);
        command.Add(Protocol);
    }

    /// <summary>Creates the client the options select.</summary>
    /// <exception cref="UsageException">The address is not an absolute http(s) or grpc URL.</exception>
    public IInferdClient CreateClient(ParseResult parseResult)
    {
        var (uri, grpc) = Resolve(parseResult.GetValue(Url), parseResult.GetValue(Protocol) == "grpc");
        return grpc ? new InferdGrpcClient(uri) : new InferdRestClient(uri);
    }

    /// <summary>
    /// The address a client connects to: <paramref name="text"/> (a grpc:// address selects gRPC; a bare host:port
    /// gets http://), or the default REST or gRPC address when it is null.
    /// </summary>
    /// <param name="text">The <c>--url</c> value, if any.</param>
    /// <param name="grpc">Whether gRPC was asked for otherwise (<c>--protocol grpc</c>).</param>
    /// <exception cref="UsageException">The address is not an absolute http(s) or grpc URL.</exception>
    public static (Uri Address, bool Grpc) Resolve(string? text, bool grpc)
    {
        if (text is not null && text.StartsWith("grpc://", StringComparison.OrdinalIgnoreCase))
        {
            grpc = true;
            text = "http://" + text["grpc://".Length..];
        }

        text ??= grpc ? DefaultGrpcUrl : DefaultHttpUrl;
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--url '{text}' is not an http://, https:// or grpc:// address");
        }

        return (uri, grpc);
    }
}
