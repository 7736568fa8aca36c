using System.Net.Sockets;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.BadInputs;

/// <summary>
/// HTTP framing attacks on a raw socket (bad-inputs.md rows 7 and 8): no client library would send these.
/// Each case ends with the server still answering a good request.
/// </summary>
public sealed class RawSocketTests
{
    private const int Limit = 64 * 1024;

    private static Task<InferdTestServer> StartAsync() => InferdTestServer.StartAsync(
        root => ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig),
        limits: new RequestLimits { MaxRequestBytes = Limit });

    /// <summary>Writes the bytes and reads until the server closes; half-closes first only when asked.</summary>
    private static async Task<string> ExchangeAsync(InferdTestServer server, byte[] request, bool halfClose = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Info.HttpPort).DefaultTimeout();
        var stream = client.GetStream();
        await stream.WriteAsync(request).AsTask().DefaultTimeout();
        if (halfClose)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var reader = new MemoryStream();
        try
        {
            await stream.CopyToAsync(reader).DefaultTimeout();
        }
        catch (IOException)
        {
            // The server may reset a connection it gave up on (e.g. a body cut short); that ends the exchange too.
        }

        return Encoding.ASCII.GetString(reader.ToArray());
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));

    [Fact]
    public async Task ContentLengthAndTransferEncodingTogether_400()
    {
        await using var server = await StartAsync();
        var request = Ascii("POST /v2/models/simple/infer HTTP/1.1\nHost: x\nContent-Length: 4\nTransfer-Encoding: chunked\n\n0\n\n");

        var response = await ExchangeAsync(server, request);

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task LoneLineFeedInChunkExtension_400()
    {
        await using var server = await StartAsync();
        var head = Ascii("POST /v2/models/simple/infer HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n");
        var body = Encoding.ASCII.GetBytes("2;ext\nxx\r\n0\r\n\r\n");

        var response = await ExchangeAsync(server, [.. head, .. body]);

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task ContentLengthLongerThanTheBody_ThenClose_NoResponseButServerFine()
    {
        await using var server = await StartAsync();
        var request = Ascii("POST /v2/models/simple/infer HTTP/1.1\nHost: x\nContent-Length: 1000\n\n{\"inputs\":");

        var response = await ExchangeAsync(server, request, halfClose: true);

        Assert.DoesNotContain("HTTP/1.1 200", response, StringComparison.Ordinal);
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task ManyTinyChunks_WithinTheLimit_AreReassembledAndAnswered()
    {
        await using var server = await StartAsync();
        var json = Encoding.UTF8.GetBytes(RestHelpers.GoodSimpleBody.PadRight(2000));
        var body = new MemoryStream();
        foreach (var b in json)
        {
            body.Write("1\r\n"u8);
            body.WriteByte(b);
            body.Write("\r\n"u8);
        }

        body.Write("0\r\n\r\n"u8);
        var head = Ascii("POST /v2/models/simple/infer HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\nConnection: close\n\n");

        var response = await ExchangeAsync(server, [.. head, .. body.ToArray()]);

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains("\"OUTPUT0\"", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedBodyGrowingPastTheLimit_413()
    {
        await using var server = await StartAsync();
        var body = new MemoryStream();
        var chunk = new string('x', 4096);
        for (var i = 0; i < (Limit / 4096) + 4; i++)
        {
            body.Write(Encoding.ASCII.GetBytes($"1000\r\n{chunk}\r\n"));
        }

        body.Write("0\r\n\r\n"u8);
        var head = Ascii("POST /v2/models/simple/infer HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\nConnection: close\n\n");

        var response = await ExchangeAsync(server, [.. head, .. body.ToArray()]);

        Assert.StartsWith("HTTP/1.1 413", response, StringComparison.Ordinal);
        await RestHelpers.AssertStillServesAsync(server);
    }
}
