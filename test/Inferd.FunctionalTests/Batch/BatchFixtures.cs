using System.Globalization;
using System.Text;
using Inferd.Testing.Models;

namespace Inferd.FunctionalTests.Batch;

/// <summary>A model repository with a batching MLP (4 features → 3 scores) and deterministic CSV inputs for it.</summary>
internal static class BatchFixtures
{
    public const string Model = "mlp";

    /// <summary>Writes the repository: max_batch_size 64, preferred 64, dynamic batching on.</summary>
    public static string WriteRepository(string root)
    {
        var repo = Path.Combine(root, "models");
        ModelRepositoryBuilder.Add(repo, Model, TestModels.Mlp(4, 16, 3, seed: 7), """
            {"name": "mlp", "max_batch_size": 64, "dynamic_batching": {"preferred_batch_size": [64]}}
            """);
        return repo;
    }

    /// <summary>
    /// Writes <paramref name="files"/> CSV files of <paramref name="rowsPerFile"/> rows each (columns id, a, b, c, d)
    /// into <paramref name="folder"/>; when <paramref name="poisonRow"/> is set, that row of the first file has a
    /// value that is not a number. Returns the ids in input order.
    /// </summary>
    public static List<string> WriteCsv(string folder, int files, int rowsPerFile, int? poisonRow = null)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(11);
        var ids = new List<string>();
        for (var f = 0; f < files; f++)
        {
            var text = new StringBuilder("id,a,b,c,d\n");
            for (var r = 1; r <= rowsPerFile; r++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"f{f}-r{r}");
                ids.Add(id);
                var c = f == 0 && r == poisonRow ? "poison" : random.NextSingle().ToString("R", CultureInfo.InvariantCulture);
                text.Append(CultureInfo.InvariantCulture, $"{id},{random.NextSingle():R},{random.NextSingle():R},{c},{random.NextSingle():R}\n");
            }

            File.WriteAllText(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"part{f}.csv")), text.ToString());
        }

        return ids;
    }

    /// <summary>The first column of every data row of a CSV file.</summary>
    public static List<string> Keys(string csv) =>
        File.ReadLines(csv).Skip(1).Select(line => line[..line.IndexOf(',', StringComparison.Ordinal)]).ToList();
}
