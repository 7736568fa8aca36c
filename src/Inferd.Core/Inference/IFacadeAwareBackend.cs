namespace Inferd.Core.Inference;

/// <summary>
/// A backend whose models call other models through the facade (pipelines with repository steps). The facade
/// attaches itself when it is constructed, before any model loads, which breaks the construction cycle
/// facade → model manager → backend → facade.
/// </summary>
public interface IFacadeAwareBackend
{
    /// <summary>Called once by the facade that owns the backend.</summary>
    void AttachFacade(IInferenceService service);
}
