using System.Globalization;
using System.Text.Json;

namespace Inferd.Monitoring.Drift;

/// <summary>
/// The JSON of <c>GET v2/models/{m}/drift</c> (docs/drift.md), written by the server and read back by
/// <c>inferd drift</c>. A p-value or PSI that does not exist yet (no live values) is <c>null</c>.
/// </summary>
internal static class DriftReportJson
{
    /// <summary>Writes the report as one JSON object.</summary>
    public static void Write(Utf8JsonWriter w, DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(report);
        w.WriteStartObject();
        w.WriteString("model", report.Model);
        w.WriteString("version", report.Version);
        w.WriteNumber("live_rows", report.LiveRows);
        w.WriteNumber("reference_rows", report.ReferenceRows);
        w.WriteString("profile_created", report.ProfileCreated.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        w.WriteNumber("window", report.Window);
        w.WriteNumber("min_rows", report.MinRows);
        w.WriteNumber("alpha", report.Alpha);
        w.WriteNumber("psi_threshold", report.PsiThreshold);
        w.WriteBoolean("drift_detected", report.DriftDetected);
        w.WriteBoolean("prediction_drift_detected", report.PredictionDriftDetected);
        WriteFeatures(w, "features", report.Inputs);
        WriteFeatures(w, "predictions", report.Outputs);
        w.WriteEndObject();
    }

    /// <summary>Reads a report written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The JSON is not a drift report.</exception>
    public static DriftReport Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return new DriftReport
            {
                Model = root.GetProperty("model").GetString()!,
                Version = root.GetProperty("version").GetString()!,
                LiveRows = root.GetProperty("live_rows").GetInt64(),
                ReferenceRows = root.GetProperty("reference_rows").GetInt64(),
                ProfileCreated = DateTimeOffset.Parse(root.GetProperty("profile_created").GetString()!, CultureInfo.InvariantCulture),
                Window = root.GetProperty("window").GetInt32(),
                MinRows = root.GetProperty("min_rows").GetInt32(),
                Alpha = root.GetProperty("alpha").GetDouble(),
                PsiThreshold = root.GetProperty("psi_threshold").GetDouble(),
                Inputs = ReadFeatures(root.GetProperty("features")),
                Outputs = ReadFeatures(root.GetProperty("predictions")),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw new FormatException("the server's answer is not a drift report: " + e.Message, e);
        }
    }

    private static void WriteFeatures(Utf8JsonWriter w, string name, IReadOnlyList<FeatureDrift> features)
    {
        w.WriteStartArray(name);
        foreach (var f in features)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteString("kind", f.Kind == FeatureKind.Numeric ? "numeric" : "categorical");
            w.WriteString("test", f.Test);
            w.WriteNumber("statistic", f.Statistic);
            NumberOrNull(w, "p_value", f.PValue);
            NumberOrNull(w, "psi", f.Psi);
            w.WriteBoolean("has_verdict", f.HasVerdict);
            w.WriteBoolean("flagged", f.Flagged);
            w.WriteNumber("live_count", f.LiveCount);
            w.WriteNumber("reference_count", f.ReferenceCount);
            w.WriteNumber("live_missing_rate", f.LiveMissingRate);
            w.WriteNumber("reference_missing_rate", f.ReferenceMissingRate);
            w.WriteStartObject("bins");
            w.WriteStartArray("labels");
            foreach (var label in f.BinLabels)
            {
                w.WriteStringValue(label);
            }

            w.WriteEndArray();
            Numbers(w, "reference", f.ReferenceFractions);
            Numbers(w, "live", f.LiveFractions);
            w.WriteEndObject();
            w.WriteStartObject("data_quality");
            for (var k = 0; k < DataQuality.Kinds.Count; k++)
            {
                w.WriteNumber(DataQuality.Kinds[k], f.Quality[k]);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static FeatureDrift[] ReadFeatures(JsonElement array) =>
        array.EnumerateArray().Select(f =>
        {
            var bins = f.GetProperty("bins");
            var quality = f.GetProperty("data_quality");
            return new FeatureDrift
            {
                Name = f.GetProperty("name").GetString()!,
                Kind = f.GetProperty("kind").GetString() == "numeric" ? FeatureKind.Numeric : FeatureKind.Categorical,
                Statistic = f.GetProperty("statistic").GetDouble(),
                PValue = NumberOrNaN(f.GetProperty("p_value")),
                Psi = NumberOrNaN(f.GetProperty("psi")),
                HasVerdict = f.GetProperty("has_verdict").GetBoolean(),
                Flagged = f.GetProperty("flagged").GetBoolean(),
                LiveCount = f.GetProperty("live_count").GetInt64(),
                ReferenceCount = f.GetProperty("reference_count").GetInt64(),
                LiveMissingRate = f.GetProperty("live_missing_rate").GetDouble(),
                ReferenceMissingRate = f.GetProperty("reference_missing_rate").GetDouble(),
                BinLabels = bins.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToArray(),
                ReferenceFractions = bins.GetProperty("reference").EnumerateArray().Select(x => x.GetDouble()).ToArray(),
                LiveFractions = bins.GetProperty("live").EnumerateArray().Select(x => x.GetDouble()).ToArray(),
                Quality = new DataQuality(
                    quality.GetProperty("missing").GetInt64(),
                    quality.GetProperty("nan").GetInt64(),
                    quality.GetProperty("out_of_range").GetInt64(),
                    quality.GetProperty("unknown_category").GetInt64()),
            };
        }).ToArray();

    private static void NumberOrNull(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Numbers(Utf8JsonWriter w, string name, IReadOnlyList<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }

    private static double NumberOrNaN(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN;
}
