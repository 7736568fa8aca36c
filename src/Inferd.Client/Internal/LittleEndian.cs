namespace Inferd.Client.Internal;

/// <summary>The wire layout is little-endian; the client copies memory directly and so needs a little-endian host.</summary>
internal static class LittleEndian
{
    public static void Require()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Inferd.Client needs a little-endian platform");
        }
    }
}
