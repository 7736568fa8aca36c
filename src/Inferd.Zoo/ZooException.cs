namespace Inferd.Zoo;

/// <summary>A zoo model could not be built (download, checksum, data or training problem); the message says which.</summary>
internal sealed class ZooException(string message) : Exception(message);
