using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Core.Caching;

/// <summary>
/// The response cache (Triton's local cache): final outputs keyed by a 128-bit XxHash of the model, version,
/// inputs and requested outputs, bounded in bytes and evicted least recently used first. Shared by all models
/// that enable <c>response_cache</c>. A 128-bit key makes an accidental collision about as likely as a memory
/// error (2^-64 at 2^32 entries), so entries are not compared byte by byte, as in Triton.
/// </summary>
internal sealed class ResponseCache
{
    // Bookkeeping per entry beyond tensor bytes: node, dictionary slot, tensor objects and shapes (measured ~200 B).
    private const long EntryOverheadBytes = 256;

    private readonly long _capacity;
    private readonly Lock _lock = new();
    private readonly Dictionary<UInt128, LinkedListNode<Entry>> _index = new();
    private readonly LinkedList<Entry> _lru = new();
    private long _bytes;

    public ResponseCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _capacity = capacityBytes;
    }

    /// <summary>Bytes held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>Hashes what determines a response: model, version, every input and every requested output.</summary>
    public static UInt128 Key(string model, string version, IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<string> outputs, IReadOnlyList<RequestedOutput?> requested)
    {
        var hash = new XxHash128();
        Span<byte> scratch = stackalloc byte[8];
        AppendString(hash, model);
        AppendString(hash, version);
        foreach (var input in inputs)
        {
            AppendString(hash, input.Name);
            BinaryPrimitives.WriteInt64LittleEndian(scratch, (long)input.DataType);
            hash.Append(scratch);
            BinaryPrimitives.WriteInt64LittleEndian(scratch, input.Shape.Length);
            hash.Append(scratch);
            foreach (var dim in input.Shape)
            {
                BinaryPrimitives.WriteInt64LittleEndian(scratch, dim);
                hash.Append(scratch);
            }

            BinaryPrimitives.WriteInt64LittleEndian(scratch, input.Data.Length);
            hash.Append(scratch);
            hash.Append(input.Data.Span);
        }

        for (var i = 0; i < outputs.Count; i++)
        {
            AppendString(hash, outputs[i]);
            BinaryPrimitives.WriteInt64LittleEndian(scratch, i < requested.Count && requested[i] is { } r ? r.ClassificationCount : 0);
            hash.Append(scratch);
        }

        return hash.GetCurrentHashAsUInt128();
    }

    /// <summary>
    /// Copies outputs that are slices of a larger buffer (a batched run's rows) so a cached entry keeps only its
    /// own bytes alive and the byte bound counts what is really held.
    /// </summary>
    public static InferenceTensor[] Compact(InferenceTensor[] outputs)
    {
        var result = outputs;
        for (var i = 0; i < outputs.Length; i++)
        {
            var data = outputs[i].Data;
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment) && segment.Count == segment.Array!.Length)
            {
                continue;
            }

            if (ReferenceEquals(result, outputs))
            {
                result = (InferenceTensor[])outputs.Clone();
            }

            result[i] = outputs[i] with { Data = data.ToArray() };
        }

        return result;
    }

    public bool TryGet(UInt128 key, out InferenceTensor[] outputs)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                outputs = node.Value.Outputs;
                return true;
            }
        }

        outputs = [];
        return false;
    }

    /// <summary>Stores outputs; an entry larger than the whole cache is not stored.</summary>
    public void Add(UInt128 key, InferenceTensor[] outputs)
    {
        var size = EntryOverheadBytes;
        foreach (var o in outputs)
        {
            size += o.Data.Length + (o.Shape.Length * 8) + (o.Name.Length * 2) + 64;
        }

        if (size > _capacity)
        {
            return;
        }

        lock (_lock)
        {
            if (_index.ContainsKey(key))
            {
                return;
            }

            while (_bytes + size > _capacity && _lru.Last is { } last)
            {
                _lru.RemoveLast();
                _index.Remove(last.Value.Key);
                _bytes -= last.Value.Size;
            }

            _index[key] = _lru.AddFirst(new Entry(key, outputs, size));
            _bytes += size;
        }
    }

    private static void AppendString(XxHash128 hash, string value)
    {
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(value) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(value, buffer)] : Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.Append(length);
        hash.Append(bytes);
    }

    private sealed record Entry(UInt128 Key, InferenceTensor[] Outputs, long Size);
}
