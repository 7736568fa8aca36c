using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Inferd.Client;
using Inferd.Monitoring.Drift;

namespace Inferd.Cli.Commands;

/// <summary>
/// <c>inferd drift MODEL</c>: asks a running server for <c>GET v2/models/{m}[/versions/{v}]/drift</c> and prints one
/// line per feature; <c>--png</c> also draws reference against live per feature (docs/drift.md).
/// </summary>
internal static class DriftCommand
{
    public static Command Create()
    {
        var endpoint = new ServerEndpoint();
        var model = new Argument<string>("model") { Description = "Model name." };
        var version = ModelVersionOption.Create();
        var png = new Option<string?>("--png") { Description = "Also write a PNG chart of reference versus live per feature to this file.", HelpName = "FILE" };
        var command = new Command("drift", "Show a model's data drift on a running server: each input and output feature's test, p-value, PSI and verdict against the reference profile.")
        {
            model, version, png, endpoint.Url,
        };
        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var (uri, grpc) = ServerEndpoint.Resolve(parseResult.GetValue(endpoint.Url), grpc: false);
            if (grpc)
            {
                throw new UsageException("inferd drift speaks REST only (the drift report is a REST extension)");
            }

            var report = await FetchAsync(uri, parseResult.GetValue(model)!, parseResult.GetValue(version), cancellationToken);
            Console.Out.Write(Format(report));
            if (parseResult.GetValue(png) is { } file)
            {
                DriftChart.Write(report, file);
                var (w, h) = DriftChart.Size(report.Inputs.Count + report.Outputs.Count);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chart: {file} ({w}x{h})"));
            }

            return Cli.SuccessExitCode;
        }));
        return command;
    }

    /// <summary>The report as printed: a summary line, the input table, the prediction table and the verdicts.</summary>
    internal static string Format(DriftReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = string.Create(inv, $"drift of {r.Model} version {r.Version}: {r.LiveRows:N0} live rows (window {r.Window:N0}, verdicts from {r.MinRows:N0}) against {r.ReferenceRows:N0} reference rows; alpha {r.Alpha}, PSI threshold {r.PsiThreshold}\n");
        var rows = new List<string[]> { new[] { "FEATURE", "KIND", "TEST", "STATISTIC", "P-VALUE", "PSI", "FLAGGED", "LIVE ROWS" } };
        rows.AddRange(r.Inputs.Select(f => Row(f, "")));
        rows.AddRange(r.Outputs.Select(f => Row(f, "prediction ")));
        lines += DriftTable.Format(rows);
        lines += $"drift detected: {Verdict(r.Inputs)}; prediction drift: {Verdict(r.Outputs)}\n";
        return lines;
    }

    private static string[] Row(FeatureDrift f, string prefix)
    {
        var inv = CultureInfo.InvariantCulture;
        return
        [
            prefix + f.Name,
            f.Kind == FeatureKind.Numeric ? "numeric" : "categorical",
            f.Test,
            f.Statistic.ToString("0.0000", inv),
            !double.IsFinite(f.PValue) ? "-" : f.PValue >= 1e-3 ? f.PValue.ToString("0.0000", inv) : f.PValue.ToString("0.00e+0", inv),
            double.IsFinite(f.Psi) ? f.Psi.ToString("0.0000", inv) : "-",
            f.Flagged ? "YES" : f.HasVerdict ? "no" : "(too few rows)",
            f.LiveCount.ToString("N0", inv),
        ];
    }

    private static string Verdict(IReadOnlyList<FeatureDrift> features)
    {
        var flagged = features.Where(f => f.Flagged).Select(f => f.Name).ToArray();
        return flagged.Length > 0 ? "yes (" + string.Join(", ", flagged) + ")" : features.Any(f => f.HasVerdict) ? "no" : "no verdict yet";
    }

    private static async Task<DriftReport> FetchAsync(Uri server, string model, string? version, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(ServerJsonCall.ModelPath("v2/models/", model, version, "/drift"), UriKind.Relative));
        return DriftReportJson.Read(await ServerJsonCall.SendAsync(server, request, TimeSpan.FromSeconds(60), cancellationToken));
    }
}
