using System.Text.Json.Serialization;

namespace Inferd.Batch.Service;

/// <summary>Source-generated JSON for the specs kept in the job database (snake_case, like the REST API).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredJobSpec))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;
