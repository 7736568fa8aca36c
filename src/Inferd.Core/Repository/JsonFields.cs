using System.Globalization;
using System.Text.Json;

namespace Inferd.Core.Repository;

/// <summary>Strict readers for the protobuf-JSON form: 64-bit numbers may be strings, unknown fields are errors.</summary>
internal static class JsonFields
{
    public static void CheckKnown(JsonElement obj, string where, params string[] known)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigException($"{where} must be an object");
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                throw new ModelConfigException($"unknown field '{Clip(property.Name)}' in {where}");
            }
        }
    }

    public static long GetInt64(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
        {
            return n;
        }

        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        throw new ModelConfigException($"{field} must be an integer");
    }

    public static int GetInt32(JsonElement value, string field)
    {
        var n = GetInt64(value, field);
        if (n is < int.MinValue or > int.MaxValue)
        {
            throw new ModelConfigException($"{field} is out of range");
        }

        return (int)n;
    }

    public static bool GetBool(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new ModelConfigException($"{field} must be true or false"),
    };

    public static string GetString(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new ModelConfigException($"{field} must be a string");

    public static IEnumerable<JsonElement> GetArray(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw new ModelConfigException($"{field} must be an array");

    public static string Clip(string text) => text.Length > 64 ? text[..64] + "..." : text;
}
