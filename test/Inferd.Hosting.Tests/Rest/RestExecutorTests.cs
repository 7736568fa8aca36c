using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Hosting.Rest;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Tests.Rest;

public sealed class RestExecutorTests
{
    private static async Task<(HttpContext Context, string Body)> RunAsync(Func<HttpContext, Task<RestReply>> handler, Action<HttpContext>? arrange = null)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        arrange?.Invoke(context);
        await RestExecutor.Wrap(handler)(context).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        return (context, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    [Theory]
    [InlineData(InferenceErrorKind.InvalidInput, 400)]
    [InlineData(InferenceErrorKind.PayloadTooLarge, 413)]
    [InlineData(InferenceErrorKind.ModelNotFound, 404)]
    [InlineData(InferenceErrorKind.ModelNotReady, 503)]
    [InlineData(InferenceErrorKind.Overloaded, 503)]
    [InlineData(InferenceErrorKind.DeadlineExceeded, 504)]
    [InlineData(InferenceErrorKind.Cancelled, 499)]
    [InlineData(InferenceErrorKind.Unsupported, 501)]
    [InlineData(InferenceErrorKind.Forbidden, 403)]
    [InlineData(InferenceErrorKind.Internal, 500)]
    public void ToStatus_EveryKind_MatchesProtocolTable(InferenceErrorKind kind, int status) =>
        Assert.Equal(status, RestExecutor.ToStatus(kind));

    [Fact]
    public async Task Wrap_InvalidInput_Answers400WithExactJsonContentType()
    {
        var (context, body) = await RunAsync(_ => throw InferenceException.Invalid("bad shape"));

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal("""{"error":"bad shape"}""", body);
    }

    [Fact]
    public async Task Wrap_ModelNotReady_AddsRetryAfter()
    {
        var (context, _) = await RunAsync(_ => throw new InferenceException(InferenceErrorKind.ModelNotReady, "loading"));

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task Wrap_UnexpectedException_Answers500WithoutEchoingIt()
    {
        var (context, body) = await RunAsync(_ => throw new InvalidOperationException("/secret/path"));

        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal("""{"error":"internal error"}""", body);
    }

    [Fact]
    public async Task Wrap_UnexpectedException_IsLogged()
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(logs)).BuildServiceProvider();

        await RunAsync(_ => throw new InvalidOperationException("boom"), c => c.RequestServices = services);

        Assert.Contains(logs.Errors, e => e is InvalidOperationException);
    }

    [Fact]
    public async Task Wrap_InternalKind_HidesMessage()
    {
        var (_, body) = await RunAsync(_ => throw new InferenceException(InferenceErrorKind.Internal, "ort said /secret"));

        Assert.Equal("""{"error":"internal error"}""", body);
    }

    [Fact]
    public async Task Wrap_CompressedBody_Answers415()
    {
        var (context, body) = await RunAsync(
            async c => { (await RestBody.ReadAsync(c, 100, c.RequestAborted)).Dispose(); return RestReply.EmptyOk; },
            c => c.Request.Headers.ContentEncoding = "gzip");

        Assert.Equal(415, context.Response.StatusCode);
        Assert.Contains("Content-Encoding", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrap_DeclaredBodyAboveLimit_Answers413()
    {
        var (context, _) = await RunAsync(
            async c => { (await RestBody.ReadAsync(c, 100, c.RequestAborted)).Dispose(); return RestReply.EmptyOk; },
            c => c.Request.ContentLength = 101);

        Assert.Equal(413, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
    }

    [Fact]
    public async Task ReadAsync_ChunkedBodyAboveLimit_Throws413Kind()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(new byte[101]);

        var error = await Assert.ThrowsAsync<InferenceException>(() => RestBody.ReadAsync(context, 100, TestContext.Current.CancellationToken));

        Assert.Equal(InferenceErrorKind.PayloadTooLarge, error.Kind);
    }

    [Fact]
    public async Task ReadAsync_BodyWithinLimit_ReturnsExactBytes()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream([1, 2, 3]);
        context.Request.ContentLength = 3;

        using var body = await RestBody.ReadAsync(context, 100, TestContext.Current.CancellationToken);
        Assert.Equal([1, 2, 3], body.Memory.ToArray());
    }

    [Fact]
    public async Task Wrap_BinaryReply_WritesHeaderAndTail()
    {
        var reply = new RestReply
        {
            Status = 200,
            ContentType = RestReply.BinaryContentType,
            Body = "{}"u8.ToArray(),
            Tail = [new byte[] { 0x41 }],
            Headers = [new("Inference-Header-Content-Length", "2")],
        };

        var (context, body) = await RunAsync(_ => Task.FromResult(reply));

        Assert.Equal("{}A", body);
        Assert.Equal(3, context.Response.ContentLength);
        Assert.Equal("2", context.Response.Headers["Inference-Header-Content-Length"].ToString());
    }
}

internal sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
{
    public List<Exception?> Errors { get; } = [];

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error)
        {
            lock (Errors)
            {
                Errors.Add(exception);
            }
        }
    }

    public void Dispose()
    {
    }
}
