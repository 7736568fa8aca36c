using Inferd.Backends.OnnxRuntime;
using Microsoft.Extensions.Logging;

namespace Inferd.Bench.Batch;

/// <summary>
/// The ONNX Runtime backend's logger for the <c>batch</c> verb: it keeps the layout the backend reports when it loads
/// a model (event 3001, e.g. <c>provider=CPU instances=1 intra_op_threads=2 spinning=on</c>), so the verb prints the
/// session settings the server actually used rather than what it expects them to be. Everything else is dropped.
/// </summary>
internal sealed class SessionLayoutLog : ILogger<OnnxRuntimeBackend>
{
    private const int LoadedEventId = 3001;
    private string? _layout;

    /// <summary>The last reported layout, or null before a model loaded.</summary>
    public string? Layout => Volatile.Read(ref _layout);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id != LoadedEventId || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return;
        }

        foreach (var (key, value) in values)
        {
            if (key == "Layout" && value is string layout)
            {
                Volatile.Write(ref _layout, layout);
            }
        }
    }
}
