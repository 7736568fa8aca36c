using Inferd.Abstractions.Inference;
using Inferd.Core.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Inferd.Hosting.Rest;

/// <summary>Maps the OIP/KServe v2 REST surface with Triton's extensions (protocol.md §3, §6, §7).</summary>
public static class RestEndpoints
{
    private static readonly string[] AllVerbs = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    /// <summary>
    /// Maps every <c>v2/...</c> route and the <c>v1/models/{model}:predict</c> routes (docs/predict.md). Requires <see cref="IInferenceService"/> in DI; request limits come from a
    /// registered <see cref="RequestLimits"/>, else from a registered <see cref="InferdHostOptions"/>,
    /// else the defaults. Wrong verbs on known paths answer 405 and unknown paths 404, both as <c>{"error"}</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapInferdRest(this IEndpointRouteBuilder app)
    {
        var limits = ResolveLimits(app.ServiceProvider);
        var handlers = new RestHandlers(limits);
        var routes = new List<(string Pattern, string Verb, Func<HttpContext, Task<RestReply>> Handler)>
        {
            ("v2/health/live", "GET", handlers.Live),
            ("v2/health/ready", "GET", handlers.Ready),
            ("v2", "GET", handlers.Server),
            ("v2/models/stats", "GET", handlers.AllStatistics),
            ("v2/repository/index", "POST", handlers.Index),
            ("v2/repository/models/{model}/load", "POST", handlers.Load),
            ("v2/repository/models/{model}/unload", "POST", handlers.Unload),
            (RuntimeEndpoints.Route, "GET", RuntimeEndpoints.Runtime),
            (ModelCardEndpoint.Route, "GET", new ModelCardEndpoint(limits).Card),
        };
        var predict = new PredictEndpoints(limits);
        routes.Add((PredictEndpoints.Route, "POST", predict.Predict));
        routes.Add((PredictEndpoints.VersionRoute, "POST", predict.Predict));
        foreach (var prefix in new[] { "v2/models/{model}", "v2/models/{model}/versions/{version}" })
        {
            routes.Add((prefix, "GET", handlers.ModelMetadata));
            routes.Add((prefix + "/ready", "GET", handlers.ModelReady));
            routes.Add((prefix + "/infer", "POST", handlers.Infer));
            routes.Add((prefix + "/config", "GET", handlers.Config));
            routes.Add((prefix + "/stats", "GET", handlers.Statistics));
        }

        foreach (var (pattern, verb, handler) in routes)
        {
            app.MapMethods(pattern, [verb], RestExecutor.Wrap(handler));
        }

        foreach (var group in routes.GroupBy(r => r.Pattern))
        {
            var allowed = group.Select(r => r.Verb).ToArray();
            var allow = string.Join(", ", allowed);
            app.MapMethods(group.Key, AllVerbs.Except(allowed).ToArray(), RestExecutor.Wrap(_ => MethodNotAllowed(allow)));
        }

        // Last resort for anything no other endpoint matched; order keeps it behind every host route.
        app.Map("{**path}", RestExecutor.Wrap(static _ => Task.FromResult(RestReply.Json(StatusCodes.Status404NotFound, RestJson.Error("not found")))))
            .Add(static builder => ((RouteEndpointBuilder)builder).Order = int.MaxValue);
        return app;
    }

    private static Task<RestReply> MethodNotAllowed(string allow)
    {
        var reply = RestReply.Json(StatusCodes.Status405MethodNotAllowed, RestJson.Error("method not allowed"));
        return Task.FromResult(new RestReply { Status = reply.Status, ContentType = reply.ContentType, Body = reply.Body, Headers = [new("Allow", allow)] });
    }

    private static RequestLimits ResolveLimits(IServiceProvider services) =>
        services.GetService<RequestLimits>()
        ?? services.GetService<InferdHostOptions>()?.Limits
        ?? new RequestLimits();
}
