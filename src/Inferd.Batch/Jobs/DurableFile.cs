using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Inferd.Batch.Jobs;

/// <summary>Atomic, durable file replacement: write under a temporary name, flush to disk, rename, sync the folder.</summary>
internal static partial class DurableFile
{
    /// <summary>Renames <paramref name="temp"/> over <paramref name="final"/> and makes the rename durable.</summary>
    public static void Commit(string temp, string final)
    {
        File.Move(temp, final, overwrite: true);
        SyncFolder(Path.GetDirectoryName(final)!);
    }

    /// <summary>Whether <paramref name="path"/> exists with exactly this length and SHA-256.</summary>
    public static bool Matches(string path, long length, string sha256)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != length)
        {
            return false;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream)) == sha256;
    }

    /// <summary>
    /// fsync on the folder, so the new directory entry survives a power cut, not only a killed process. Best effort:
    /// on systems without it (Windows) the rename alone is what .NET offers.
    /// </summary>
    public static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Open(folder, 0); // O_RDONLY
        if (fd < 0)
        {
            return;
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
