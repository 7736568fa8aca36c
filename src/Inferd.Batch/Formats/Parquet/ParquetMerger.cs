using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>
/// Joins shard files into one Parquet file: each part's row groups are copied in order, values and levels as stored,
/// so nulls and lists survive. Parquet.Net's FileMerger is not used because it appends by reading the destination
/// back, which needs a readable, seekable destination stream.
/// </summary>
internal static class ParquetMerger
{
    public static async Task MergeAsync(IReadOnlyList<string> parts, Stream destination, CancellationToken cancellationToken)
    {
        if (parts.Count == 0)
        {
            throw new ArgumentException("there are no parts to merge: a Parquet file needs a schema", nameof(parts));
        }

        ParquetSchema? schema = null;
        ParquetWriter? writer = null;
        try
        {
            foreach (var part in parts)
            {
                await using var stream = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                await using var reader = await OpenAsync(stream, part, cancellationToken).ConfigureAwait(false);
                if (schema is null)
                {
                    schema = reader.Schema;
                    writer = await ParquetWriter.CreateAsync(schema, destination, null, false, cancellationToken).ConfigureAwait(false);
                }
                else if (!schema.Equals(reader.Schema))
                {
                    throw new InvalidDataException(
                        $"{Path.GetFileName(part)} has another schema than the first part: {schema.GetNotEqualsMessage(reader.Schema, "first part", "this part")}");
                }

                for (var i = 0; i < reader.RowGroupCount; i++)
                {
                    var source = reader.RowGroups[i];
                    using var target = writer!.CreateRowGroup();
                    foreach (var field in schema.DataFields)
                    {
                        using var raw = await source.ReadRawColumnDataBaseAsync(field, cancellationToken).ConfigureAwait(false);
                        await CopyAsync(target, field, raw, cancellationToken).ConfigureAwait(false);
                    }

                    target.CompleteValidate();
                }
            }
        }
        finally
        {
            // Disposing writes the footer; on failure the caller throws the destination away.
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }

        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ParquetReader> OpenAsync(Stream stream, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ParquetException)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a readable Parquet file: {e.Message}", e);
        }
    }

    /// <summary>The types <see cref="ParquetRecordWriter"/> writes, plus the common ones, copied without knowing T statically.</summary>
    private static Task CopyAsync(ParquetRowGroupWriter target, DataField field, RawColumnData raw, CancellationToken cancellationToken) => raw switch
    {
        RawColumnData<ReadOnlyMemory<char>> d => CopyAsync(target, field, d, cancellationToken),
        RawColumnData<long> d => CopyAsync(target, field, d, cancellationToken),
        RawColumnData<float> d => CopyAsync(target, field, d, cancellationToken),
        RawColumnData<double> d => CopyAsync(target, field, d, cancellationToken),
        RawColumnData<bool> d => CopyAsync(target, field, d, cancellationToken),
        RawColumnData<int> d => CopyAsync(target, field, d, cancellationToken),
        RawColumnData<ReadOnlyMemory<byte>> d => CopyAsync(target, field, d, cancellationToken),
        _ => throw new InvalidDataException($"column '{field.Path}' holds {field.ClrType.Name} values, which merging does not copy"),
    };

    private static Task CopyAsync<T>(ParquetRowGroupWriter target, DataField field, RawColumnData<T> raw, CancellationToken cancellationToken)
        where T : struct
    {
        // Values holds one slot per entry with the defined values packed at the front: copy only those.
        // Levels are assigned, not selected with ?:, because a null int[] would convert to an empty, non-null span.
        var defined = raw.Values.Length;
        ReadOnlyMemory<int>? definitions = null;
        ReadOnlyMemory<int>? repetitions = null;
        if (field.MaxDefinitionLevel > 0)
        {
            var levels = raw.DefinitionLevels.ToArray();
            defined = levels.Count(level => level == field.MaxDefinitionLevel);
            definitions = levels;
        }

        if (field.MaxRepetitionLevel > 0)
        {
            repetitions = raw.RepetitionLevels.ToArray();
        }

        return target.WriteAllPartsAsync<T>(field, raw.Values[..defined].ToArray(), definitions, repetitions, cancellationToken);
    }
}
