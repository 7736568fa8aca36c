using System.Text.Json;

namespace Inferd.Monitoring.Alerts;

/// <summary>The alerts file (<c>--alerts</c>): evaluation interval, optional webhook, rules. Validated at start.</summary>
/// <param name="Interval">How often every rule is evaluated (<c>interval_secs</c>, default 30).</param>
/// <param name="Webhook">The webhook, or null for log lines only.</param>
/// <param name="Rules">The rules, names unique.</param>
internal sealed record AlertRules(TimeSpan Interval, WebhookSettings? Webhook, IReadOnlyList<AlertRule> Rules)
{
    /// <summary>The kinds of signal a rule may watch.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["drift", "accuracy", "fairness", "error_rate"];

    // The file is a handful of rules; a cap keeps a wrong path (a model file) from being read whole.
    private const long MaxFileBytes = 1 << 20;

    /// <summary>Reads and validates a file.</summary>
    /// <exception cref="AlertRulesException">The file cannot be read or is not valid; the message names the field.</exception>
    public static AlertRules Load(string path)
    {
        string json;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                throw new AlertRulesException($"the alerts file is larger than {MaxFileBytes} bytes: {path}");
            }

            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AlertRulesException($"cannot read the alerts file {path}: {ex.Message}", ex);
        }

        return Parse(json);
    }

    /// <summary>The problems of a file as messages prefixed with the file name, or an empty list.</summary>
    public static IReadOnlyList<string> Problems(string path)
    {
        try
        {
            _ = Load(path);
            return [];
        }
        catch (AlertRulesException ex)
        {
            return ["--alerts " + path + ": " + ex.Message];
        }
    }

    /// <summary>Parses and validates the JSON text of an alerts file.</summary>
    /// <exception cref="AlertRulesException">Not valid; the message names the field.</exception>
    public static AlertRules Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new AlertRulesException("not valid JSON: " + ex.Message, ex);
        }

        using (document)
        {
            var interval = TimeSpan.FromSeconds(30);
            WebhookSettings? webhook = null;
            List<AlertRule>? rules = null;
            foreach (var p in Object(document.RootElement, "the alerts file"))
            {
                switch (p.Name)
                {
                    case "interval_secs":
                        interval = TimeSpan.FromSeconds(Number(p.Value, "interval_secs", 1, 86_400));
                        break;
                    case "webhook":
                        webhook = ReadWebhook(p.Value);
                        break;
                    case "rules":
                        rules = ReadRules(p.Value);
                        break;
                    default:
                        throw new AlertRulesException($"unknown field '{p.Name}' (expected interval_secs, webhook or rules)");
                }
            }

            return new AlertRules(interval, webhook, rules ?? throw new AlertRulesException("rules is required (an array of rules)"));
        }
    }

    private static WebhookSettings ReadWebhook(JsonElement e)
    {
        Uri? url = null;
        var attempts = 5;
        var timeout = TimeSpan.FromSeconds(5);
        var backoff = TimeSpan.FromSeconds(1);
        foreach (var p in Object(e, "webhook"))
        {
            switch (p.Name)
            {
                case "url":
                    var text = Text(p.Value, "webhook.url");
                    if (!Uri.TryCreate(text, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https"))
                    {
                        throw new AlertRulesException($"webhook.url '{text}' must be an absolute http or https URL");
                    }

                    break;
                case "max_attempts":
                    attempts = (int)Number(p.Value, "webhook.max_attempts", 1, 20);
                    break;
                case "timeout_ms":
                    timeout = TimeSpan.FromMilliseconds(Number(p.Value, "webhook.timeout_ms", 1, 600_000));
                    break;
                case "backoff_ms":
                    backoff = TimeSpan.FromMilliseconds(Number(p.Value, "webhook.backoff_ms", 1, 600_000));
                    break;
                default:
                    throw new AlertRulesException($"webhook: unknown field '{p.Name}' (expected url, max_attempts, timeout_ms or backoff_ms)");
            }
        }

        return new WebhookSettings(url ?? throw new AlertRulesException("webhook.url is required"), attempts, timeout, backoff);
    }

    private static List<AlertRule> ReadRules(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new AlertRulesException("rules must be an array of rules");
        }

        var rules = new List<AlertRule>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var rule = ReadRule(item, $"rules[{i++}]");
            if (!names.Add(rule.Name))
            {
                throw new AlertRulesException($"rules[{i - 1}].name: '{rule.Name}' is used by another rule");
            }

            rules.Add(rule);
        }

        return rules;
    }

    private static AlertRule ReadRule(JsonElement e, string at)
    {
        string? name = null, kind = null, model = null, version = null, signal = null;
        double? above = null, below = null;
        foreach (var p in Object(e, at))
        {
            var field = at + "." + p.Name;
            switch (p.Name)
            {
                case "name":
                    name = Text(p.Value, field);
                    break;
                case "kind":
                    kind = Text(p.Value, field);
                    if (!Kinds.Contains(kind))
                    {
                        throw new AlertRulesException($"{field}: '{kind}' is not {string.Join(", ", Kinds.SkipLast(1))} or {Kinds[^1]}");
                    }

                    break;
                case "model":
                    model = Text(p.Value, field);
                    break;
                case "version":
                    version = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetRawText() : Text(p.Value, field);
                    break;
                case "signal":
                    signal = Text(p.Value, field);
                    break;
                case "above":
                    above = Number(p.Value, field, double.MinValue, double.MaxValue);
                    break;
                case "below":
                    below = Number(p.Value, field, double.MinValue, double.MaxValue);
                    break;
                default:
                    throw new AlertRulesException($"{at}: unknown field '{p.Name}' (expected name, kind, model, version, signal, above or below)");
            }
        }

        if (above is null && below is null)
        {
            throw new AlertRulesException($"{at}: give above, below or both");
        }

        if (above < below)
        {
            throw new AlertRulesException($"{at}: above ({above}) is below below ({below}), so the rule would always fire");
        }

        return new AlertRule(
            name ?? throw new AlertRulesException(at + ".name is required"),
            kind ?? throw new AlertRulesException(at + ".kind is required (drift, accuracy, fairness or error_rate)"),
            model ?? throw new AlertRulesException(at + ".model is required (a name, or * for every model)"),
            version,
            signal ?? throw new AlertRulesException(at + ".signal is required"),
            above,
            below);
    }

    private static JsonElement.ObjectEnumerator Object(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.Object ? e.EnumerateObject() : throw new AlertRulesException(field + " must be a JSON object");

    private static string Text(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 and <= 256 } s && !s.Any(char.IsControl)
            ? s
            : throw new AlertRulesException(field + " must be a non-empty string of at most 256 characters");

    private static double Number(JsonElement e, string field, double min, double max)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var v) || !double.IsFinite(v) || v < min || v > max)
        {
            throw new AlertRulesException(min == double.MinValue ? field + " must be a finite number" : $"{field} must be a number between {min} and {max}");
        }

        return v;
    }
}
