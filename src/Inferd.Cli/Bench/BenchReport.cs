using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Inferd.Cli.Bench;

/// <summary>Writes a run's points as a human table, perf_analyzer's CSV and the JSON the suite runner reads.</summary>
internal static class BenchReport
{
    /// <summary>perf_analyzer's CSV columns (closed loop); an open loop names the first one "Request Rate", as perf_analyzer does.</summary>
    public const string CsvHeader =
        "Concurrency,Inferences/Second,Client Send,Network+Server Send/Recv,Server Queue,Server Compute Input,Server Compute Infer,Server Compute Output,Client Recv,p50 latency,p90 latency,p95 latency,p99 latency";

    public static string Table(BenchSettings settings, IReadOnlyList<PointResult> points)
    {
        var rows = new List<string[]>
        {
            new[] { settings.RequestRates.Count > 0 ? "RATE" : "CONC", "REQ/S", "ITEMS/S", "P50µs", "P90µs", "P95µs", "P99µs", "MAXµs", "ERR", "STABLE", "ALLOC B/REQ", "SRV CPU µs/REQ", "QUEUEµs", "INFERµs", "BATCH" },
        };
        foreach (var p in points)
        {
            rows.Add(
            [
                Level(p),
                F(p.RequestsPerSecond, 1),
                F(p.ItemsPerSecond, 1),
                F(p.P50Us, 1),
                F(p.P90Us, 1),
                F(p.P95Us, 1),
                F(p.P99Us, 1),
                F(p.MaxUs, 1),
                p.Errors.ToString(CultureInfo.InvariantCulture),
                p.Stable ? "yes" : "no",
                F(p.ClientAllocBytesPerRequest, 0),
                p.ServerCpuUsPerRequest is { } cpu ? F(cpu, 1) : "-",
                p.Server is { } s ? F(s.QueueUs, 1) : "-",
                p.Server is { } t ? F(t.ComputeInferUs, 1) : "-",
                p.Server?.AverageBatch is { } b ? F(b, 2) : "-",
            ]);
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{settings.Model}  mode={ModeName(settings.Mode)}  endpoint={(settings.Noop ? "noop" : "infer")}  batch={settings.BatchSize}\n");
        foreach (var row in rows)
        {
            text.AppendJoin("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).Append('\n');
        }

        return text.ToString();
    }

    public static string Csv(BenchSettings settings, IReadOnlyList<PointResult> points)
    {
        var text = new StringBuilder();
        text.Append(settings.RequestRates.Count > 0 ? "Request Rate" + CsvHeader["Concurrency".Length..] : CsvHeader).Append('\n');
        foreach (var p in points)
        {
            var server = p.Server;
            // Everything the server's statistics do not account for: transport both ways plus client work.
            var network = Math.Max(0, p.AverageUs - (server?.TotalUs ?? 0));
            text.AppendJoin(',', new[]
            {
                Level(p),
                F(p.ItemsPerSecond, 1),
                "0",
                Us(network),
                Us(server?.QueueUs ?? 0),
                Us(server?.ComputeInputUs ?? 0),
                Us(server?.ComputeInferUs ?? 0),
                Us(server?.ComputeOutputUs ?? 0),
                "0",
                Us(p.P50Us),
                Us(p.P90Us),
                Us(p.P95Us),
                Us(p.P99Us),
            }).Append('\n');
        }

        return text.ToString();
    }

    public static string Json(BenchSettings settings, IReadOnlyList<PointResult> points)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", settings.Model);
            w.WriteString("mode", ModeName(settings.Mode));
            w.WriteString("endpoint", settings.Noop ? "noop" : "infer");
            w.WriteNumber("batch_size", settings.BatchSize);
            w.WriteStartArray("points");
            foreach (var p in points)
            {
                w.WriteStartObject();
                Number(w, "concurrency", p.Point.Concurrency);
                Number(w, "request_rate", p.Point.RequestRate);
                w.WriteNumber("requests_per_s", Round(p.RequestsPerSecond, 2));
                w.WriteNumber("items_per_s", Round(p.ItemsPerSecond, 2));
                w.WriteNumber("p50_us", Round(p.P50Us, 1));
                w.WriteNumber("p90_us", Round(p.P90Us, 1));
                w.WriteNumber("p95_us", Round(p.P95Us, 1));
                w.WriteNumber("p99_us", Round(p.P99Us, 1));
                w.WriteNumber("max_us", Round(p.MaxUs, 1));
                w.WriteNumber("errors", p.Errors);
                w.WriteBoolean("stable", p.Stable);
                w.WriteNumber("windows", p.Windows);
                Number(w, "server_cpu_us_per_request", p.ServerCpuUsPerRequest is { } cpu ? Round(cpu, 2) : null);
                w.WriteNumber("client_alloc_bytes_per_request", Round(p.ClientAllocBytesPerRequest, 1));
                Number(w, "server_queue_us", p.Server is { } a ? Round(a.QueueUs, 2) : null);
                Number(w, "server_compute_input_us", p.Server is { } b ? Round(b.ComputeInputUs, 2) : null);
                Number(w, "server_compute_infer_us", p.Server is { } c ? Round(c.ComputeInferUs, 2) : null);
                Number(w, "server_compute_output_us", p.Server is { } d ? Round(d.ComputeOutputUs, 2) : null);
                Number(w, "avg_batch", p.Server?.AverageBatch is { } e ? Round(e, 3) : null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static string ModeName(BenchMode mode) => mode switch
    {
        BenchMode.Raw => "raw",
        BenchMode.RawBatcher => "raw-batcher",
        BenchMode.HttpJson => "http-json",
        BenchMode.HttpBinary => "http-binary",
        BenchMode.GrpcTyped => "grpc-typed",
        BenchMode.GrpcRaw => "grpc-raw",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    private static string Level(PointResult p) =>
        p.Point.RequestRate is { } rate ? F(rate, 1) : (p.Point.Concurrency ?? 0).ToString(CultureInfo.InvariantCulture);

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    private static string F(double value, int digits) => Round(value, digits).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Us(double value) => ((long)Math.Round(value, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture);
}
