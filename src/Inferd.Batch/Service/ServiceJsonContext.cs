using System.Text.Json.Serialization;

namespace Inferd.Batch.Service;

/// <summary>Source-generated JSON for the specs kept in the job database (snake_case, like the REST API).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Inferd.Batch.Jobs.BatchJobSpec))]
[JsonSerializable(typeof(JobRequest))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext
{
    /// <summary>A job's stored spec as JSON.</summary>
    public static string ToJson(Inferd.Batch.Jobs.BatchJobSpec spec) => System.Text.Json.JsonSerializer.Serialize(spec, Default.BatchJobSpec);

    /// <summary>A job's stored spec from JSON.</summary>
    public static Inferd.Batch.Jobs.BatchJobSpec SpecFromJson(string json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, Default.BatchJobSpec) ?? throw new InvalidDataException("a stored job spec is null");

    /// <summary>A schedule's job template as JSON.</summary>
    public static string ToJson(JobRequest template) => System.Text.Json.JsonSerializer.Serialize(template, Default.JobRequest);

    /// <summary>A schedule's job template from JSON.</summary>
    public static JobRequest TemplateFromJson(string json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, Default.JobRequest) ?? throw new InvalidDataException("a stored schedule template is null");
}
