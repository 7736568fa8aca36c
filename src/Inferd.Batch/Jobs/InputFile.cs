using Inferd.Batch.Data;

namespace Inferd.Batch.Jobs;

/// <summary>One input of a job: a tabular file, or a folder read as one row per file.</summary>
/// <param name="Path">Full path.</param>
/// <param name="Name">Name used in row keys: the path relative to the input folder, or the file name.</param>
/// <param name="Format">Its format.</param>
/// <param name="Bytes">Its size (for a folder: all its files).</param>
internal sealed record InputFile(string Path, string Name, BatchFormat Format, long Bytes)
{
    /// <summary>Resolves a job's inputs in a fixed order; the order decides shard numbers.</summary>
    /// <exception cref="BatchJobException">An input does not exist or its format cannot be told.</exception>
    public static IReadOnlyList<InputFile> Resolve(BatchJobSpec spec)
    {
        if (spec.Inputs.Count == 0)
        {
            throw new BatchJobException("no input given");
        }

        var forced = spec.InputFormat is null ? null : BatchFormats.ByName(spec.InputFormat)
            ?? throw new BatchJobException($"unknown input format '{spec.InputFormat}' (formats: {string.Join(", ", BatchFormats.All.Select(f => f.Name))})");
        var files = new List<InputFile>();
        foreach (var input in spec.Inputs)
        {
            var full = System.IO.Path.GetFullPath(input);
            if (Directory.Exists(full))
            {
                files.AddRange(FromFolder(full, forced));
            }
            else if (File.Exists(full))
            {
                var format = forced ?? BatchFormats.ByExtension(full)
                    ?? throw new BatchJobException($"cannot tell the format of '{input}' from its extension; give --input-format");
                files.Add(new InputFile(full, System.IO.Path.GetFileName(full), format, new FileInfo(full).Length));
            }
            else
            {
                throw new BatchJobException($"the input '{input}' does not exist");
            }
        }

        var duplicate = files.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new BatchJobException($"two inputs are both called '{duplicate.Key}'; row keys would clash (put them in one folder)");
        }

        return files;
    }

    private static InputFile[] FromFolder(string folder, BatchFormat? forced)
    {
        var folderFormat = BatchFormats.ByName("files");
        if (forced is not null && forced == folderFormat)
        {
            return [FolderInput(folder, forced)];
        }

        var all = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: System.IO.Path.GetRelativePath(folder, f).Replace('\\', '/')))
            .Where(f => !f.Relative.Split('/').Any(part => part.StartsWith('.')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToArray();
        var tabular = all
            .Select(f => (f.Full, f.Relative, Format: forced ?? BatchFormats.ByExtension(f.Full)))
            .Where(f => f.Format is not null && f.Format != folderFormat)
            .Select(f => new InputFile(f.Full, f.Relative, f.Format!, new FileInfo(f.Full).Length))
            .ToArray();
        if (tabular.Length > 0)
        {
            return tabular;
        }

        if (all.Length == 0)
        {
            throw new BatchJobException($"the input folder '{folder}' holds no files");
        }

        return folderFormat is null
            ? throw new BatchJobException($"the input folder '{folder}' holds no .csv, .jsonl or .parquet files")
            : [FolderInput(folder, folderFormat)];
    }

    private static InputFile FolderInput(string folder, BatchFormat format) =>
        new(folder, System.IO.Path.GetFileName(folder.TrimEnd('/')), format, Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length));
}
