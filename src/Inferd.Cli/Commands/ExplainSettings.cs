using System.Text.Json;

namespace Inferd.Cli.Commands;

/// <summary>The <c>explain</c> object of an explanation request; null members are left out, so the server's defaults apply.</summary>
internal sealed record ExplainSettings
{
    /// <summary>Method name.</summary>
    public string? Method { get; init; }

    /// <summary>Explained output.</summary>
    public string? Output { get; init; }

    /// <summary>Element of the output row.</summary>
    public int? Target { get; init; }

    /// <summary>Most model evaluations.</summary>
    public long? Budget { get; init; }

    /// <summary>Samples.</summary>
    public int? Samples { get; init; }

    /// <summary>kernel_shap mode.</summary>
    public string? Mode { get; init; }

    /// <summary>Background rows.</summary>
    public int? BackgroundRows { get; init; }

    /// <summary>Image LIME superpixels.</summary>
    public int? Segments { get; init; }

    /// <summary>Random seed.</summary>
    public int? Seed { get; init; }

    /// <summary>The perturbed input.</summary>
    public string? Input { get; init; }

    /// <summary>Ask for image LIME's heat map.</summary>
    public bool Heatmap { get; init; }

    /// <summary>Writes <c>"explain": {...}</c>.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject("explain");
        Text(writer, "method", Method);
        Text(writer, "output", Output);
        Number(writer, "target", Target);
        Number(writer, "budget", Budget);
        Number(writer, "samples", Samples);
        Text(writer, "mode", Mode);
        Number(writer, "background_rows", BackgroundRows);
        Number(writer, "segments", Segments);
        Number(writer, "seed", Seed);
        Text(writer, "input", Input);
        if (Heatmap)
        {
            writer.WriteBoolean("heatmap", true);
        }

        writer.WriteEndObject();
    }

    private static void Text(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }
}
