using System.Globalization;
using Inferd.Batch.Data;
using Parquet.Data;
using Parquet.Schema;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>Which Parquet value types become cells, and how.</summary>
internal static class ParquetCells
{
    private static readonly HashSet<Type> Supported =
    [
        typeof(bool),
        typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
        typeof(Half), typeof(float), typeof(double), typeof(decimal),
        typeof(ReadOnlyMemory<char>), typeof(ReadOnlyMemory<byte>),
        typeof(DateTime), typeof(DateOnly), typeof(TimeOnly), typeof(TimeSpan), typeof(Guid),
    ];

    /// <summary>Whether values of <paramref name="clrType"/> (a <see cref="DataField.ClrType"/>) can be read.</summary>
    public static bool IsSupported(Type clrType) => Supported.Contains(clrType);

    /// <summary>Wraps one row group's raw data of <paramref name="column"/>; the result owns <paramref name="raw"/>.</summary>
    /// <exception cref="InvalidDataException">The data has a type <see cref="IsSupported"/> does not allow.</exception>
    public static ParquetColumnData Wrap(RawColumnData raw, ParquetInputColumn column) => raw switch
    {
        RawColumnData<bool> d => new ParquetColumnData<bool>(d, column, static v => Cell.FromBoolean(v)),
        RawColumnData<sbyte> d => new ParquetColumnData<sbyte>(d, column, static v => Cell.FromInteger(v)),
        RawColumnData<byte> d => new ParquetColumnData<byte>(d, column, static v => Cell.FromInteger(v)),
        RawColumnData<short> d => new ParquetColumnData<short>(d, column, static v => Cell.FromInteger(v)),
        RawColumnData<ushort> d => new ParquetColumnData<ushort>(d, column, static v => Cell.FromInteger(v)),
        RawColumnData<int> d => new ParquetColumnData<int>(d, column, static v => Cell.FromInteger(v)),
        RawColumnData<uint> d => new ParquetColumnData<uint>(d, column, static v => Cell.FromInteger(v)),
        RawColumnData<long> d => new ParquetColumnData<long>(d, column, static v => Cell.FromInteger(v)),

        // A uint64 past long.MaxValue cannot be an integer cell; a double keeps its magnitude.
        RawColumnData<ulong> d => new ParquetColumnData<ulong>(d, column, static v => v <= long.MaxValue ? Cell.FromInteger((long)v) : Cell.FromNumber(v)),
        RawColumnData<Half> d => new ParquetColumnData<Half>(d, column, static v => Cell.FromNumber((double)v)),
        RawColumnData<float> d => new ParquetColumnData<float>(d, column, static v => Cell.FromNumber(v)),
        RawColumnData<double> d => new ParquetColumnData<double>(d, column, static v => Cell.FromNumber(v)),
        RawColumnData<decimal> d => new ParquetColumnData<decimal>(d, column, static v => Cell.FromNumber((double)v)),
        RawColumnData<ReadOnlyMemory<char>> d => new ParquetColumnData<ReadOnlyMemory<char>>(d, column, static v => Cell.FromText(v)),
        RawColumnData<ReadOnlyMemory<byte>> d => new ParquetColumnData<ReadOnlyMemory<byte>>(d, column, static v => Cell.FromBytes(v)),
        RawColumnData<DateTime> d => new ParquetColumnData<DateTime>(d, column, DateTimeConverter(column.Leaf)),
        RawColumnData<DateOnly> d => new ParquetColumnData<DateOnly>(d, column, static v => Cell.FromText(v.ToString("O", CultureInfo.InvariantCulture))),
        RawColumnData<TimeOnly> d => new ParquetColumnData<TimeOnly>(d, column, static v => Cell.FromText(v.ToString("O", CultureInfo.InvariantCulture))),
        RawColumnData<TimeSpan> d => new ParquetColumnData<TimeSpan>(d, column, static v => Cell.FromText(v.ToString("c", CultureInfo.InvariantCulture))),
        RawColumnData<Guid> d => new ParquetColumnData<Guid>(d, column, static v => Cell.FromText(v.ToString("D"))),
        _ => Unsupported(raw, column),
    };

    private static Func<DateTime, Cell> DateTimeConverter(DataField field)
    {
        // Parquet.Net returns timestamps as Unspecified; a field marked UTC-adjusted gets its "Z" back, so the ISO text
        // says which instant it is.
        var utc = field is DateTimeDataField { IsAdjustedToUTC: true };
        return v => Cell.FromText((utc && v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v)
            .ToString("O", CultureInfo.InvariantCulture));
    }

    private static ParquetColumnData Unsupported(RawColumnData raw, ParquetInputColumn column)
    {
        raw.Dispose();
        throw new InvalidDataException($"column '{column.Name}' holds {raw.GetType().GenericTypeArguments.FirstOrDefault()?.Name} values, which batch input does not read");
    }
}
