using System.Globalization;
using System.Text;
using Inferd.Testing.Models;
using Parquet;
using Parquet.Schema;

namespace Inferd.Bench.Batch;

/// <summary>
/// The deterministic input of the <c>batch</c> verb: rows of an integer <c>id</c> and <see cref="Features"/> floats
/// uniform in [-1, 1) from a fixed seed, the same values in every format. CSV spreads the floats over columns
/// <c>INPUT0_0</c> … (the batch job fills the model's one input from every column but the id); Parquet holds them in
/// one list column named after the input.
/// </summary>
/// <param name="Input">The model input's name.</param>
/// <param name="Features">Floats per row.</param>
internal sealed record BatchBenchInput(string Input, int Features)
{
    /// <summary>Name of the id column.</summary>
    public const string IdColumn = "id";

    // Parquet readers hold a row group in memory: 50,000 rows × 64 floats is 12.8 MB, a size typical writers use.
    private const int ParquetRowGroupRows = 50_000;
    private const int Seed = 11;

    /// <summary>The first <paramref name="rows"/> rows' floats, row-major (the raw run's input is the first batch).</summary>
    public float[] Values(int rows)
    {
        var random = new DeterministicRandom(Seed);
        return random.NextSymmetric(checked(rows * Features), 1f);
    }

    /// <summary>Writes <paramref name="rows"/> rows as CSV (floats in shortest round-trip form, as pandas writes them).</summary>
    public void WriteCsv(string path, int rows)
    {
        var random = new DeterministicRandom(Seed);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new StreamWriter(file, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        writer.Write(IdColumn);
        for (var f = 0; f < Features; f++)
        {
            writer.Write(',');
            writer.Write(Input);
            writer.Write('_');
            writer.Write(f.ToString(CultureInfo.InvariantCulture));
        }

        writer.Write('\n');
        Span<char> number = stackalloc char[32];
        for (var r = 0; r < rows; r++)
        {
            r.TryFormat(number, out var n, default, CultureInfo.InvariantCulture);
            writer.Write(number[..n]);
            for (var f = 0; f < Features; f++)
            {
                random.NextSymmetric(1f).TryFormat(number, out n, "R", CultureInfo.InvariantCulture);
                writer.Write(',');
                writer.Write(number[..n]);
            }

            writer.Write('\n');
        }
    }

    /// <summary>Writes <paramref name="rows"/> rows as Parquet: <c>id</c> INT64 and a list&lt;float&gt; column.</summary>
    public async Task WriteParquetAsync(string path, int rows, CancellationToken cancellationToken)
    {
        var random = new DeterministicRandom(Seed);
        var id = new DataField<long>(IdColumn);
        var list = new ListField(Input, new DataField<float>("element"));
        var item = (DataField)list.Item;
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, list), file, cancellationToken: cancellationToken);
        for (var first = 0; first < rows; first += ParquetRowGroupRows)
        {
            var count = Math.Min(ParquetRowGroupRows, rows - first);
            var ids = new long[count];
            var values = new float[count * Features];
            var repetition = new int[values.Length];

            // Every element is present: each sits at the leaf's full definition level (list and element defined).
            var definition = new int[values.Length];
            Array.Fill(definition, item.MaxDefinitionLevel);
            for (var r = 0; r < count; r++)
            {
                ids[r] = first + r;
                for (var f = 0; f < Features; f++)
                {
                    values[(r * Features) + f] = random.NextSymmetric(1f);

                    // 0 starts a row's list, 1 continues it.
                    repetition[(r * Features) + f] = f == 0 ? 0 : 1;
                }
            }

            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(id, ids, null, null, cancellationToken);
            await group.WriteAllPartsAsync<float>(item, values, definition, repetition, cancellationToken);
            group.CompleteValidate();
        }
    }
}
