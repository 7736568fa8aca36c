namespace Inferd.Core.Repository;

/// <summary>A config file or override that cannot be used; the message names the field and the problem.</summary>
public sealed class ModelConfigException(string message) : Exception(message);
