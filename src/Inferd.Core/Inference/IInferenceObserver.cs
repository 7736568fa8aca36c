namespace Inferd.Core.Inference;

/// <summary>
/// Sees every successful inference after the model ran and before the response goes back: the prediction log and the
/// drift monitor are observers. The seam exists because monitoring must not live in Core (it needs SQLite and
/// PostgreSQL) while the facade is the one place every protocol, the batch runner and the explainers pass through.
/// </summary>
public interface IInferenceObserver
{
    /// <summary>
    /// Called once per answered request. The observation's tensors are valid only during the call: copy what is kept.
    /// Return a completed task unless the response must wait (durable prediction logging waits for its commit);
    /// a faulted task fails the request with that exception, so best-effort observers must never throw.
    /// </summary>
    ValueTask OnInferredAsync(InferenceObservation observation, CancellationToken cancellationToken);

    /// <summary>
    /// Whether this observer needs every request to have an id (the prediction log does: feedback and deletion name
    /// requests by id). When any observer does, a request without a client id gets a server-made one, returned in the
    /// response; otherwise responses keep the protocol's behaviour of echoing only a client's id.
    /// </summary>
    bool NeedsRequestId => false;
}
