using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Inferd.Bench.Suite;

/// <summary>The suite's output: the goal table and the per-point table as Markdown, and everything as JSON.</summary>
internal static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The Markdown report.</summary>
    /// <param name="plan">What ran.</param>
    /// <param name="rows">G1–G8.</param>
    /// <param name="points">Measured points, in run order.</param>
    /// <param name="environment">Lines about the machine and pinning.</param>
    /// <param name="failures">Points that did not produce a result, with the reason.</param>
    public static string Markdown(SuitePlan plan, IReadOnlyList<GoalRow> rows, IReadOnlyList<PointResult> points, IReadOnlyList<string> environment, IReadOnlyList<string> failures)
    {
        var md = new StringBuilder();
        md.Append(Inv, $"# Inferd benchmark suite ({(plan.Smoke ? "smoke" : "full")})\n\n");
        foreach (var line in environment)
        {
            md.Append("- ").Append(line).Append('\n');
        }

        md.Append(Inv, $"- windows of {plan.WindowMs} ms (G8's points: {(plan.Smoke ? plan.WindowMs : SuitePlan.AllocationWindowMs)} ms), at most {plan.MaxWindows}, stable within {plan.Stability:P0}, warm-up {plan.WarmupMs} ms\n");
        if (plan.Smoke)
        {
            md.Append("- smoke run: short windows and few points; the verdicts are indicative and never fail the run\n");
        }

        md.Append("\n| Goal | Figure measured | Goal | Ratio or value | Result |\n|---|---|---|---|---|\n");
        foreach (var row in rows)
        {
            md.Append(Inv, $"| {row.Id} | {Cell(row.Figure)} | {Cell(row.Target)} | {Cell(row.Value)} | {VerdictText(row.Verdict)} |\n");
        }

        if (failures.Count > 0)
        {
            md.Append("\n## Failed runs\n\n");
            foreach (var failure in failures)
            {
                md.Append("- ").Append(Cell(failure)).Append('\n');
            }
        }

        md.Append("\n## Points\n\n");
        md.Append("| Point | Mode | Model | Endpoint | Batch | Conc. | req/s | items/s | p50 µs | p95 µs | p99 µs | Server CPU µs/req | Server alloc B/req | gen2 | B̄ | Stable (windows) | Errors |\n");
        md.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var r in points)
        {
            var p = r.Point;
            md.Append(Inv, $"| {r.Spec.Key} | {r.Spec.Mode} | {r.Spec.Model} | {r.Spec.Endpoint} | {r.BatchSize} | {p.Concurrency} | ");
            md.Append(Inv, $"{p.RequestsPerS:N0} | {p.ItemsPerS:N0} | {p.P50Us:F1} | {p.P95Us:F1} | {p.P99Us:F1} | ");
            md.Append(Inv, $"{Opt(p.ServerCpuUsPerRequest)} | {Opt(r.Server?.AllocatedPerRequest, "N0")} | {(r.Server is { } s ? s.Gen2.ToString(Inv) : "")} | ");
            md.Append(Inv, $"{(r.Spec.UsesServer || r.Spec.Mode == Modes.RawBatcher ? r.ExecutedBatch.ToString("F1", Inv) : "")} | {(p.Stable ? "yes" : "no")} ({p.Windows}) | {p.Errors} |\n");
        }

        return md.ToString();
    }

    /// <summary>Everything as one JSON document: settings, the goals, and each point with the load generator's own JSON.</summary>
    public static string Json(SuitePlan plan, IReadOnlyList<GoalRow> rows, IReadOnlyList<PointResult> points, IReadOnlyList<string> environment, IReadOnlyList<string> failures)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteBoolean("smoke", plan.Smoke);
            w.WriteNumber("window_ms", plan.WindowMs);
            w.WriteNumber("max_windows", plan.MaxWindows);
            w.WriteNumber("warmup_ms", plan.WarmupMs);
            w.WriteNumber("stability", plan.Stability);
            w.WriteStartArray("environment");
            environment.ToList().ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteStartArray("failures");
            failures.ToList().ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteStartArray("goals");
            foreach (var row in rows)
            {
                w.WriteStartObject();
                w.WriteString("goal", row.Id);
                w.WriteString("figure", row.Figure);
                w.WriteString("target", row.Target);
                w.WriteString("value", row.Value);
                w.WriteString("result", VerdictText(row.Verdict));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("points");
            foreach (var r in points)
            {
                w.WriteStartObject();
                w.WriteString("key", r.Spec.Key);
                w.WriteNumber("batch_size", r.BatchSize);
                if (r.Server is { } s)
                {
                    w.WriteStartObject("server");
                    w.WriteNumber("allocated_bytes", s.AllocatedBytes);
                    w.WriteNumber("gen0", s.Gen0);
                    w.WriteNumber("gen1", s.Gen1);
                    w.WriteNumber("gen2", s.Gen2);
                    w.WriteNumber("loh_bytes", s.LohBytes);
                    w.WriteNumber("requests", s.Requests);
                    w.WriteNumber("executions", s.Executions);
                    w.WriteNumber("seconds", Math.Round(s.Seconds, 3));
                    w.WriteEndObject();
                }

                w.WritePropertyName("bench");
                using (var doc = JsonDocument.Parse(r.Json))
                {
                    doc.RootElement.WriteTo(w);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Met => "MET",
        Verdict.NotMet => "NOT MET",
        _ => "not run",
    };

    private static string Opt(double? value, string format = "F1") => value is { } v ? v.ToString(format, Inv) : "";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
}
