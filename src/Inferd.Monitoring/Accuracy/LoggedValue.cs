using System.Globalization;
using System.Text.Json;

namespace Inferd.Monitoring.Accuracy;

/// <summary>One element of a logged tensor or of logged ground truth: a number, a string or a bool.</summary>
/// <param name="Kind">Number, String, True or False.</param>
/// <param name="Number">The value when <paramref name="Kind"/> is Number.</param>
/// <param name="Text">The value when <paramref name="Kind"/> is String.</param>
internal readonly record struct LoggedValue(JsonValueKind Kind, double Number, string? Text)
{
    /// <summary>Reads a JSON element; false for null, objects and arrays.</summary>
    public static bool TryRead(JsonElement element, out LoggedValue value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when element.TryGetDouble(out var number):
                value = new LoggedValue(JsonValueKind.Number, number, null);
                return true;
            case JsonValueKind.String:
                value = new LoggedValue(JsonValueKind.String, 0, element.GetString());
                return true;
            case JsonValueKind.True or JsonValueKind.False:
                value = new LoggedValue(element.ValueKind, 0, null);
                return true;
            default:
                value = default;
                return false;
        }
    }

    /// <summary>The value as a number: numbers, bools as 0/1, and the strings the v2 JSON form uses for non-finite floats.</summary>
    public bool TryNumber(out double number)
    {
        switch (Kind)
        {
            case JsonValueKind.Number:
                number = Number;
                return true;
            case JsonValueKind.True or JsonValueKind.False:
                number = Kind == JsonValueKind.True ? 1 : 0;
                return true;
            case JsonValueKind.String:
                // Numbers sent as text ("12.5") and the v2 spellings of non-finite floats ("NaN", "Infinity").
                return double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
            default:
                number = 0;
                return false;
        }
    }

    /// <summary>The value as a group or class key: strings as they are, numbers in invariant shortest form, bools as true/false.</summary>
    public string Key => Kind switch
    {
        JsonValueKind.String => Text ?? "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => Number.ToString("R", CultureInfo.InvariantCulture),
    };
}
