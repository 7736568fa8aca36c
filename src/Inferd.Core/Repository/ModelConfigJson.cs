using Inferd.Abstractions.Configuration;

namespace Inferd.Core.Repository;

/// <summary>TEMP stub so the REST adapter compiles; Core provides the real writer (protocol.md §11.5).</summary>
public static class ModelConfigJson
{
    /// <summary>Writes the JSON form of a model configuration.</summary>
    public static string Write(ModelConfig config) => throw new NotImplementedException();
}
