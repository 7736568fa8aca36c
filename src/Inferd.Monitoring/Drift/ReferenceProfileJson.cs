using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Inferd.Monitoring.Drift;

/// <summary>Reads and writes <c>profile.json</c> (the format is described in docs/drift.md).</summary>
internal static class ReferenceProfileJson
{
    /// <summary>The value of the <c>format</c> field.</summary>
    public const string Format = "inferd-drift-profile";

    /// <summary>The value of the <c>format_version</c> field this code reads and writes.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The profile as indented UTF-8 JSON; the long number arrays are written on one line each.</summary>
    public static byte[] Write(ReferenceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteNumber("format_version", FormatVersion);
            w.WriteString("model", profile.Model);
            w.WriteString("version", profile.Version);
            w.WriteString("created", profile.Created.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteNumber("rows", profile.Rows);
            WriteFeatures(w, "inputs", profile.Inputs);
            WriteFeatures(w, "outputs", profile.Outputs);
            w.WriteStartArray("skipped");
            foreach (var s in profile.Skipped)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WriteString("reason", s.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses and checks a profile.</summary>
    /// <exception cref="InvalidDataException">Not a valid profile; the message names the field.</exception>
    public static ReferenceProfile Read(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("the profile is not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            var root = Object(document.RootElement, "the profile");
            if (Optional(root, "format") is not { ValueKind: JsonValueKind.String } format || format.GetString() != Format)
            {
                throw new InvalidDataException($"format must be \"{Format}\" (build the profile with `inferd profile`)");
            }

            var formatVersion = Integer(Required(root, "format_version"), "format_version", 1, int.MaxValue);
            if (formatVersion != FormatVersion)
            {
                throw new InvalidDataException($"format_version {formatVersion} is not supported (this server reads {FormatVersion})");
            }

            var created = Text(Required(root, "created"), "created");
            if (!DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            {
                throw new InvalidDataException("created must be a date and time (ISO 8601)");
            }

            var skipped = new List<SkippedFeature>();
            if (Optional(root, "skipped") is { } list)
            {
                var i = 0;
                foreach (var item in Items(list, "skipped"))
                {
                    var field = $"skipped[{i++}]";
                    skipped.Add(new SkippedFeature(Text(Required(item, "name", field), field + ".name"), Text(Required(item, "reason", field), field + ".reason")));
                }
            }

            return new ReferenceProfile(
                Text(Required(root, "model"), "model"),
                Text(Required(root, "version"), "version"),
                when,
                Integer(Required(root, "rows"), "rows", 0, long.MaxValue),
                ReadFeatures(Required(root, "inputs"), "inputs"),
                ReadFeatures(Required(root, "outputs"), "outputs"))
            { Skipped = skipped };
        }
    }

    private static void WriteFeatures(Utf8JsonWriter w, string name, IReadOnlyList<FeatureProfile> features)
    {
        w.WriteStartArray(name);
        foreach (var f in features)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteString("tensor", f.Tensor);
            if (f.Index >= 0)
            {
                w.WriteNumber("index", f.Index);
            }

            w.WriteString("kind", f.Kind == FeatureKind.Numeric ? "numeric" : "categorical");
            w.WriteNumber("count", f.Count);
            w.WriteNumber("missing_rate", f.MissingRate);
            if (f.Numeric is { } n)
            {
                w.WriteNumber("min", n.Min);
                w.WriteNumber("max", n.Max);
                w.WriteNumber("mean", n.Mean);
                w.WriteNumber("std", n.Std);
                w.WriteStartObject("bins");
                w.WritePropertyName("edges");
                w.WriteRawValue(Compact(n.BinEdges), skipInputValidation: true);
                w.WritePropertyName("fractions");
                w.WriteRawValue(Compact(n.BinFractions), skipInputValidation: true);
                w.WriteEndObject();
                w.WritePropertyName("quantiles");
                w.WriteRawValue(Compact(n.Quantiles), skipInputValidation: true);
            }

            if (f.Categorical is { } c)
            {
                w.WriteStartArray("categories");
                for (var i = 0; i < c.Categories.Length; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("value", c.Categories[i]);
                    w.WriteNumber("count", c.Counts[i]);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteNumber("other_count", c.OtherCount);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static string Compact(double[] values)
    {
        var text = new StringBuilder(values.Length * 12);
        text.Append('[');
        for (var i = 0; i < values.Length; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(values[i].ToString("R", CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }

    private static List<FeatureProfile> ReadFeatures(JsonElement element, string field)
    {
        var features = new List<FeatureProfile>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in Items(element, field))
        {
            var at = $"{field}[{i++}]";
            Object(item, at);
            var name = Text(Required(item, "name", at), at + ".name");
            var tensor = Optional(item, "tensor") is { } t ? Text(t, at + ".tensor") : name;
            var index = Optional(item, "index") is { } x ? (int)Integer(x, at + ".index", 0, FeatureExtractor.MaxElementsPerRow - 1) : -1;
            if (FeatureExtractor.FeatureName(tensor, index) != name || !names.Add(name))
            {
                throw new InvalidDataException($"{at}.name '{name}' does not match its tensor and index, or is repeated");
            }

            var kind = Text(Required(item, "kind", at), at + ".kind") switch
            {
                "numeric" => FeatureKind.Numeric,
                "categorical" => FeatureKind.Categorical,
                _ => throw new InvalidDataException($"{at}.kind must be numeric or categorical"),
            };
            var count = Integer(Required(item, "count", at), at + ".count", 1, long.MaxValue);
            var missing = Number(Required(item, "missing_rate", at), at + ".missing_rate");
            if (missing is < 0 or > 1)
            {
                throw new InvalidDataException($"{at}.missing_rate must be between 0 and 1");
            }

            var feature = new FeatureProfile(tensor, index, kind, count, missing);
            features.Add(kind == FeatureKind.Numeric
                ? feature with { Numeric = ReadNumeric(item, at) }
                : feature with { Categorical = ReadCategorical(item, at) });
        }

        return features;
    }

    private static NumericProfile ReadNumeric(JsonElement item, string at)
    {
        var min = Number(Required(item, "min", at), at + ".min");
        var max = Number(Required(item, "max", at), at + ".max");
        var std = Number(Required(item, "std", at), at + ".std");
        if (min > max || std < 0)
        {
            throw new InvalidDataException($"{at}: min must not exceed max, and std must not be negative");
        }

        var bins = Object(Required(item, "bins", at), at + ".bins");
        var edges = Numbers(Required(bins, "edges", at + ".bins"), at + ".bins.edges", strictly: true);
        var fractions = Numbers(Required(bins, "fractions", at + ".bins"), at + ".bins.fractions", strictly: false, sorted: false);
        if (edges.Length == 0 || fractions.Length != edges.Length + 1 || fractions.Any(f => f is < 0 or > 1))
        {
            throw new InvalidDataException($"{at}.bins needs at least one edge and one fraction (0 to 1) more than edges");
        }

        var quantiles = Numbers(Required(item, "quantiles", at), at + ".quantiles", strictly: false);
        if (quantiles.Length == 0)
        {
            throw new InvalidDataException($"{at}.quantiles must not be empty");
        }

        return new NumericProfile(min, max, Number(Required(item, "mean", at), at + ".mean"), std, quantiles, edges, fractions);
    }

    private static CategoricalProfile ReadCategorical(JsonElement item, string at)
    {
        var values = new List<string>();
        var counts = new List<long>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var category in Items(Required(item, "categories", at), at + ".categories"))
        {
            var field = $"{at}.categories[{i++}]";
            var value = Text(Required(category, "value", field), field + ".value");
            if (!seen.Add(value))
            {
                throw new InvalidDataException($"{field}.value '{value}' is repeated");
            }

            values.Add(value);
            counts.Add(Integer(Required(category, "count", field), field + ".count", 0, long.MaxValue));
        }

        if (values.Count == 0)
        {
            throw new InvalidDataException($"{at}.categories must not be empty");
        }

        var other = Optional(item, "other_count") is { } o ? Integer(o, at + ".other_count", 0, long.MaxValue) : 0;
        return new CategoricalProfile([.. values], [.. counts], other);
    }

    private static JsonElement Object(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new InvalidDataException(field + " must be a JSON object");

    private static JsonElement.ArrayEnumerator Items(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : throw new InvalidDataException(field + " must be a JSON array");

    private static JsonElement? Optional(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static JsonElement Required(JsonElement e, string name, string? parent = null) =>
        Optional(e, name) ?? throw new InvalidDataException((parent is null ? "" : parent + ".") + name + " is required");

    private static string Text(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s ? s : throw new InvalidDataException(field + " must be a non-empty string");

    private static double Number(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var v) && double.IsFinite(v) ? v : throw new InvalidDataException(field + " must be a finite number");

    private static long Integer(JsonElement e, string field, long min, long max) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) && v >= min && v <= max
            ? v
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{field} must be a whole number from {min} to {max}"));

    private static double[] Numbers(JsonElement e, string field, bool strictly, bool sorted = true)
    {
        var values = new double[e.ValueKind == JsonValueKind.Array ? e.GetArrayLength() : 0];
        var i = 0;
        foreach (var item in Items(e, field))
        {
            values[i] = Number(item, $"{field}[{i}]");
            if (sorted && i > 0 && (strictly ? values[i] <= values[i - 1] : values[i] < values[i - 1]))
            {
                throw new InvalidDataException($"{field} must be sorted in {(strictly ? "strictly " : "")}increasing order");
            }

            i++;
        }

        return values;
    }
}
