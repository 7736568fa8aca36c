using System.Globalization;
using System.Text.Json;

namespace Inferd.Bench.Batch;

/// <summary>One line of the median table.</summary>
/// <param name="Format">Input format, or the raw ONNX Runtime line.</param>
/// <param name="Rows">Rows per sample (median for raw windows).</param>
/// <param name="Seconds">Median seconds.</param>
/// <param name="RowsPerSecond">Median rows per second.</param>
/// <param name="RatioToRaw">Median rows/s ÷ the raw line's median rows/s.</param>
/// <param name="CoresBusy">Median process CPU time ÷ wall time.</param>
/// <param name="Samples">Samples the medians are taken over.</param>
internal sealed record BatchBenchLine(string Format, long Rows, double Seconds, double RowsPerSecond, double RatioToRaw, double CoresBusy, int Samples);

/// <summary>What one run of the <c>batch</c> verb measured; written as JSON with <c>--json</c>.</summary>
internal sealed record BatchBenchReport
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public required string Machine { get; init; }

    public required string Model { get; init; }

    public required int BatchSize { get; init; }

    public required int Rows { get; init; }

    public required int Rounds { get; init; }

    /// <summary>The layout the server's backend reported when it loaded the model.</summary>
    public required string ServerSession { get; init; }

    /// <summary>The layout the raw run used.</summary>
    public required string RawSession { get; init; }

    /// <summary>The medians: the raw line first, then one line per format.</summary>
    public required IReadOnlyList<BatchBenchLine> Lines { get; init; }

    public required IReadOnlyList<RawSample> Raw { get; init; }

    public required IReadOnlyList<JobSample> Jobs { get; init; }

    /// <summary>Formats not measured, with the reason.</summary>
    public required IReadOnlyList<string> Skipped { get; init; }

    /// <summary>The stage profile, empty without <c>--profile</c>.</summary>
    public IReadOnlyList<StageTiming> Profile { get; init; } = [];

    /// <summary>The medians of <paramref name="raw"/> and of each format's jobs.</summary>
    public static IReadOnlyList<BatchBenchLine> Medians(int batchSize, IReadOnlyList<RawSample> raw, IReadOnlyList<JobSample> jobs)
    {
        var rawRate = Median(raw.Select(s => s.RowsPerSecond));
        var lines = new List<BatchBenchLine>
        {
            new($"raw ORT (batch {batchSize})", (long)Median(raw.Select(s => (double)s.Rows)), Median(raw.Select(s => s.Seconds)), rawRate, 1, Median(raw.Select(s => s.CoresBusy)), raw.Count),
        };
        foreach (var group in jobs.GroupBy(j => j.Format))
        {
            var rate = Median(group.Select(j => j.RowsPerSecond));
            lines.Add(new BatchBenchLine(group.Key, group.First().Rows, Median(group.Select(j => j.Seconds)), rate, rawRate > 0 ? rate / rawRate : 0, Median(group.Select(j => j.CoresBusy)), group.Count()));
        }

        return lines;
    }

    /// <summary>The median (the mean of the middle two for an even count); 0 for none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Writes the settings, the median table and the profile as Markdown.</summary>
    public void Write(TextWriter writer)
    {
        var inv = CultureInfo.InvariantCulture;
        writer.WriteLine($"machine: {Machine}");
        writer.WriteLine(string.Create(inv, $"model: {Model}, {BatchSize} rows per request and per raw run; {Rows:N0} rows; {Rounds} round(s), medians of the samples"));
        writer.WriteLine($"server session: {ServerSession}");
        writer.WriteLine($"raw session:    {RawSession}");
        writer.WriteLine();
        writer.WriteLine("| format | rows | seconds | rows/s | ratio to raw ORT | cores busy | samples |");
        writer.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var line in Lines)
        {
            writer.WriteLine(string.Create(inv, $"| {line.Format} | {line.Rows:N0} | {line.Seconds:F3} | {line.RowsPerSecond:N0} | {line.RatioToRaw:F3} | {line.CoresBusy:F2} | {line.Samples} |"));
        }

        foreach (var skipped in Skipped)
        {
            writer.WriteLine($"skipped: {skipped}");
        }

        if (Profile.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("| stage (alone, one run) | rows | seconds | µs/row | rows/s | cores busy | allocated B/row |");
            writer.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var stage in Profile)
            {
                var allocated = stage.AllocatedBytesPerRow is { } a ? a.ToString("F0", inv) : "";
                writer.WriteLine(string.Create(inv, $"| {stage.Stage} | {stage.Rows:N0} | {stage.Seconds:F3} | {stage.MicrosecondsPerRow:F2} | {stage.RowsPerSecond:N0} | {stage.CoresBusy:F2} | {allocated} |"));
            }
        }
    }

    /// <summary>The report as indented JSON (snake_case names).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
