using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Core.Inference;
using Inferd.Hosting.Monitoring;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Inferd.Hosting.Rest;

/// <summary>
/// <c>POST v1/models/{m}[/versions/{v}]:predict</c>: the KServe v1 / TF Serving row format translated to one
/// <see cref="IInferenceService.InferAsync"/> call (docs/predict.md). Pre- and post-processing live in models, so
/// this is a generic mapping between named fields and tensors.
/// </summary>
/// <param name="limits">Request limits.</param>
internal sealed class PredictEndpoints(RequestLimits limits)
{
    /// <summary>Route of the latest (by policy) version.</summary>
    public const string Route = "v1/models/{model}:predict";

    /// <summary>Route of one version.</summary>
    public const string VersionRoute = "v1/models/{model}/versions/{version}:predict";

    // Multipart headers, boundaries and a field name around each value, per instance and input.
    private const long FieldOverhead = 512;

    // Longest version segment: int64 has 19 digits.

    public async Task<RestReply> Predict(HttpContext context)
    {
        var (model, version) = RestRoute.Read(context, limits);
        var service = context.RequestServices.GetRequiredService<IInferenceService>();
        // Unknown or unready models are answered before the body is buffered; a known model's body is capped by
        // what its inputs can need.
        var config = service.GetModelConfig(model, version);
        var metadata = service.GetModelMetadata(model, version);
        using var body = await RestBody.ReadAsync(context, BodyCap(config, limits.MaxRequestBytes), context.RequestAborted);
        var (request, instances) = await PredictRequestReader.ReadAsync(
            body.Memory, context.Request.ContentType, version, metadata, config.MaxBatchSize, limits, context.RequestAborted);
        var response = await service.InferAsync(request with { Caller = PredictionLogHeaders.ReadCaller(context) }, context.RequestAborted);
        return PredictionLogHeaders.WithRequestId(PredictResponseWriter.Write(response, instances, config.MaxBatchSize > 0), response.Id);
    }

    /// <summary>
    /// The v2 body cap of the model (RequestBodyCap) plus room for the field names and multipart framing that the
    /// row format repeats for every instance.
    /// </summary>
    internal static long BodyCap(ModelConfig config, long globalLimit)
    {
        var cap = RequestBodyCap.For(config, globalLimit);
        if (cap >= globalLimit)
        {
            return globalLimit;
        }

        long perInstance = 0;
        foreach (var input in config.Inputs)
        {
            perInstance += input.Name.Length + FieldOverhead;
        }

        var extra = perInstance * Math.Max(1, config.MaxBatchSize);
        return extra < 0 || cap + extra < 0 ? globalLimit : Math.Min(globalLimit, cap + extra);
    }
}
