using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Inferd.Batch.Jobs;

/// <summary>
/// The commit log of a job's output: a header line naming the job's fingerprint, then one JSON line per committed
/// shard, then a completion line. A line is appended only after the files it names are renamed into place, and is
/// flushed to disk before the next shard commits, so the manifest never names a file that is not complete. A crash
/// mid-append leaves a torn last line; opening the manifest cuts it off (that shard is simply redone).
/// </summary>
internal sealed class ShardManifest : IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly FileStream _stream;
    private readonly Dictionary<long, ShardRecord> _shards = [];

    private ShardManifest(FileStream stream) => _stream = stream;

    /// <summary>Committed shards by number (a later line for the same shard replaces an earlier one).</summary>
    public IReadOnlyDictionary<long, ShardRecord> Shards => _shards;

    /// <summary>Whether the job finished (single-file output merged).</summary>
    public bool Completed { get; private set; }

    /// <summary>Opens or creates the manifest.</summary>
    /// <exception cref="BatchJobException">The manifest belongs to a job with other settings.</exception>
    public static ShardManifest Open(string path, string fingerprint)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var manifest = new ShardManifest(stream);
        try
        {
            manifest.Load(path, fingerprint);
            return manifest;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends a committed shard and flushes it to disk.</summary>
    public void Append(ShardRecord record)
    {
        WriteLine(JsonSerializer.Serialize(new Line { Shard = record }, Json));
        _shards[record.Shard] = record;
    }

    /// <summary>Appends the completion line and flushes it to disk.</summary>
    public void AppendCompleted()
    {
        WriteLine(JsonSerializer.Serialize(new Line { Completed = true }, Json));
        Completed = true;
    }

    public void Dispose() => _stream.Dispose();

    private void Load(string path, string fingerprint)
    {
        var bytes = new byte[_stream.Length];
        _stream.ReadExactly(bytes);
        var good = 0; // Length of the prefix made of whole, valid lines.
        var headerSeen = false;
        while (good < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', good);
            if (end < 0)
            {
                break; // A torn last line: the crash came mid-append.
            }

            Line? line;
            try
            {
                line = JsonSerializer.Deserialize<Line>(bytes.AsSpan(good, end - good), Json);
            }
            catch (JsonException)
            {
                break;
            }

            if (line is null)
            {
                break;
            }

            if (line.Fingerprint is not null)
            {
                if (line.Fingerprint != fingerprint)
                {
                    throw new BatchJobException(
                        $"the output holds a job with other settings (manifest {path}, fingerprint {line.Fingerprint}, this job {fingerprint}); choose another output or delete it");
                }

                headerSeen = true;
            }
            else if (line.Shard is { } shard)
            {
                _shards[shard.Shard] = shard;
            }
            else if (line.Completed == true)
            {
                Completed = true;
            }

            good = end + 1;
        }

        _stream.SetLength(good);
        _stream.Position = good;
        if (!headerSeen)
        {
            _stream.SetLength(0);
            _shards.Clear();
            Completed = false;
            WriteLine(JsonSerializer.Serialize(new Line { Fingerprint = fingerprint }, Json));
        }
    }

    private void WriteLine(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + "\n");
        _stream.Write(bytes);
        _stream.Flush(flushToDisk: true);
    }

    private sealed class Line
    {
        public string? Fingerprint { get; set; }

        public ShardRecord? Shard { get; set; }

        public bool? Completed { get; set; }
    }
}
