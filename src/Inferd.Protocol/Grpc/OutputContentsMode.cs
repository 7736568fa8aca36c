namespace Inferd.Protocol.Grpc;

/// <summary>How output tensor data is placed in a <c>ModelInferResponse</c>.</summary>
public enum OutputContentsMode
{
    /// <summary><c>raw_output_contents</c>, one entry per output in order (the default; what tritonclient reads).</summary>
    Raw = 0,

    /// <summary>
    /// Typed <c>contents</c> per output. FP16 and BF16 have no typed field, so a response holding either falls
    /// back to <see cref="Raw"/> as a whole (raw entries are matched to outputs by position).
    /// </summary>
    Typed = 1,
}
