using Microsoft.Extensions.Logging;

namespace Inferd.Backends.OnnxRuntime;

/// <summary>Log events of the ONNX Runtime backend (ids 3000-3099).</summary>
internal static partial class OnnxLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Loaded {Model} version {Version} with ONNX Runtime: {Layout}")]
    public static partial void Loaded(ILogger logger, string model, string version, string layout);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "{Model} version {Version} asked for a GPU but the CUDA provider is not available; running on CPU")]
    public static partial void CudaUnavailable(ILogger logger, string model, string version);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "{Model} version {Version}: CUDA provider failed ({Reason}); falling back to CPU")]
    public static partial void CudaFallback(ILogger logger, string model, string version, string reason);
}
