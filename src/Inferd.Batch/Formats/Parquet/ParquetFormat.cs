using Inferd.Batch.Data;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>
/// Apache Parquet through Parquet.Net. Input columns are the schema's flat top-level fields (scalars and lists of
/// scalars); output is one row group per file with nullable columns, a vector column spread over
/// <c>name_0</c> … <c>name_{Width-1}</c>.
/// </summary>
public sealed class ParquetFormat : BatchFormat
{
    private ParquetFormat()
    {
    }

    /// <summary>The one instance.</summary>
    public static ParquetFormat Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "parquet";

    /// <inheritdoc />
    public override IReadOnlyList<string> Extensions { get; } = [".parquet"];

    /// <inheritdoc />
    public override RecordReader OpenReader(string path) => new ParquetRecordReader(path);

    /// <inheritdoc />
    public override RecordWriter CreateWriter(Stream stream, IReadOnlyList<OutputColumn> columns) => new ParquetRecordWriter(stream, columns);

    /// <inheritdoc />
    public override Task MergeAsync(IReadOnlyList<string> parts, Stream destination, CancellationToken cancellationToken) =>
        ParquetMerger.MergeAsync(parts, destination, cancellationToken);
}
