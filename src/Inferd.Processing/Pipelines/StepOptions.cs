using System.Globalization;
using System.Text.Json;
using Inferd.Core.Repository;

namespace Inferd.Processing.Pipelines;

/// <summary>
/// Typed reading of a step's <c>options</c> object. Every problem is a <see cref="ModelConfigException"/> that names the
/// step and the option, so a bad config fails the load with a message the user can act on.
/// </summary>
internal sealed class StepOptions
{
    private readonly JsonElement _options;
    private readonly string _step;

    /// <summary>Wraps the options of one step.</summary>
    public StepOptions(string step, JsonElement options)
    {
        _step = step;
        _options = options;
    }

    /// <summary>Refuses options the step does not know (typos must not be ignored silently).</summary>
    public void CheckKnown(params string[] known)
    {
        foreach (var p in _options.EnumerateObject())
        {
            if (Array.IndexOf(known, p.Name) < 0)
            {
                throw Error($"unknown option '{Clip(p.Name)}' (known: {string.Join(", ", known)})");
            }
        }
    }

    /// <summary>Whether the option is present and not null.</summary>
    public bool Has(string name) => _options.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>A string option.</summary>
    public string GetString(string name, string? defaultValue = null)
    {
        if (!_options.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return defaultValue ?? throw Error($"option '{name}' is required");
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error($"option '{name}' must be a string");
    }

    /// <summary>An integer option within [min, max].</summary>
    public int GetInt(string name, int? defaultValue = null, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!_options.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return defaultValue ?? throw Error($"option '{name}' is required");
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
        {
            throw Error($"option '{name}' must be an integer");
        }

        return i < min || i > max ? throw Error($"option '{name}' must be in [{min}, {max}], got {i}") : i;
    }

    /// <summary>A number option.</summary>
    public double GetDouble(string name, double? defaultValue = null)
    {
        if (!_options.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return defaultValue ?? throw Error($"option '{name}' is required");
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw Error($"option '{name}' must be a finite number");
    }

    /// <summary>A boolean option.</summary>
    public bool GetBool(string name, bool defaultValue)
    {
        if (!_options.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return defaultValue;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"option '{name}' must be true or false"),
        };
    }

    /// <summary>An array of numbers, or null when absent.</summary>
    public double[]? GetDoubles(string name)
    {
        if (!_options.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            throw Error($"option '{name}' must be an array of numbers");
        }

        var result = new double[v.GetArrayLength()];
        var i = 0;
        foreach (var e in v.EnumerateArray())
        {
            result[i++] = e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && double.IsFinite(d)
                ? d
                : throw Error($"option '{name}[{i - 1}]' must be a finite number");
        }

        return result;
    }

    /// <summary>An array of strings, or null when absent.</summary>
    public string[]? GetStrings(string name)
    {
        if (!_options.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            throw Error($"option '{name}' must be an array of strings");
        }

        return v.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error($"option '{name}[{i}]' must be a string")).ToArray();
    }

    /// <summary>The raw JSON of an option (arrays of objects and other structured options), or null when absent.</summary>
    public JsonElement? GetElement(string name) =>
        _options.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>An error about this step.</summary>
    public ModelConfigException Error(string message) => new($"pipeline step '{_step}': {message}");

    /// <summary>Shortens user text quoted in a message.</summary>
    public static string Clip(string text) => text.Length > 64 ? text[..64] + "..." : text;

    /// <summary>Formats a number for messages.</summary>
    public static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
