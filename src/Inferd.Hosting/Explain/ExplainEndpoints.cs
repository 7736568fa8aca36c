using Inferd.Abstractions.Inference;
using Inferd.Core.Inference;
using Inferd.Explain;
using Inferd.Hosting.Monitoring;
using Inferd.Hosting.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Inferd.Hosting.Explain;

/// <summary>
/// <c>POST v2/models/{m}[/versions/{v}]/explain</c> (a v2 JSON inference body with one row plus <c>explain</c>) and
/// <c>POST v1/models/{m}[/versions/{v}]:explain</c> (a v1 body with one instance plus <c>explain</c>). Each protocol's
/// own reader turns the row into an inference request; <see cref="ExplanationService"/> does the rest.
/// </summary>
internal static class ExplainEndpoints
{
    private static readonly string[] AllVerbs = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    /// <summary>Maps the routes.</summary>
    public static void Map(WebApplication app)
    {
        var limits = app.Services.GetService<RequestLimits>() ?? new RequestLimits();
        var routes = new List<(string Pattern, Func<HttpContext, Task<RestReply>> Handler)>
        {
            ("v2/models/{model}/explain", c => V2Async(c, limits)),
            ("v2/models/{model}/versions/{version}/explain", c => V2Async(c, limits)),
            ("v1/models/{model}:explain", c => V1Async(c, limits)),
            ("v1/models/{model}/versions/{version}:explain", c => V1Async(c, limits)),
        };
        foreach (var (pattern, handler) in routes)
        {
            app.MapMethods(pattern, ["POST"], RestExecutor.Wrap(handler));
            app.MapMethods(pattern, AllVerbs.Except(["POST"]).ToArray(), RestExecutor.Wrap(static _ =>
            {
                var error = RestReply.Json(StatusCodes.Status405MethodNotAllowed, RestJson.Error("method not allowed"));
                return Task.FromResult(new RestReply { Status = error.Status, ContentType = error.ContentType, Body = error.Body, Headers = [new("Allow", "POST")] });
            }));
        }
    }

    private static async Task<RestReply> V2Async(HttpContext context, RequestLimits limits)
    {
        var (model, version) = RestRoute.Read(context, limits);
        var facade = context.RequestServices.GetRequiredService<IInferenceService>();
        var config = facade.GetModelConfig(model, version);
        if (context.Request.Headers.ContainsKey(InferRequestReader.HeaderLengthHeader))
        {
            throw InferenceException.Invalid("an explanation takes a JSON body; the binary tensor extension is not supported on /explain");
        }

        using var body = await RestBody.ReadAsync(context, RequestBodyCap.For(config, limits.MaxRequestBytes), context.RequestAborted);
        var (rest, build) = ExplainRequestJson.Split(body.Memory, limits);
        var row = InferRequestReader.Read(rest, null, model, version, limits, static () => throw InferenceException.Invalid("an explanation takes a JSON body"));
        return await ExplainAsync(context, build(row with { Caller = PredictionLogHeaders.ReadCaller(context) }));
    }

    private static async Task<RestReply> V1Async(HttpContext context, RequestLimits limits)
    {
        var (model, version) = RestRoute.Read(context, limits);
        var facade = context.RequestServices.GetRequiredService<IInferenceService>();
        var config = facade.GetModelConfig(model, version);
        var metadata = facade.GetModelMetadata(model, version);
        using var body = await RestBody.ReadAsync(context, PredictEndpoints.BodyCap(config, limits.MaxRequestBytes), context.RequestAborted);
        var (rest, build) = ExplainRequestJson.Split(body.Memory, limits);
        var (row, instances) = await PredictRequestReader.ReadAsync(rest, "application/json", version, metadata, config.MaxBatchSize, limits, context.RequestAborted);
        if (instances != 1)
        {
            throw InferenceException.Invalid($"an explanation takes one instance, not {instances}");
        }

        return await ExplainAsync(context, build(row with { Caller = PredictionLogHeaders.ReadCaller(context) }));
    }

    private static async Task<RestReply> ExplainAsync(HttpContext context, ExplanationRequest request)
    {
        var service = context.RequestServices.GetRequiredService<ExplanationService>();
        var explanation = await service.ExplainAsync(request, context.RequestAborted);
        return RestReply.Json(StatusCodes.Status200OK, ExplainResponseJson.Write(explanation));
    }
}
