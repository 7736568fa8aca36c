using Inferd.Abstractions.Inference;
using Inferd.Core.Inference;
using Inferd.Hosting.Rest;
using Inferd.Monitoring.Accuracy;
using Inferd.Monitoring.Alerts;
using Inferd.Monitoring.Configuration;
using Inferd.Monitoring.Fairness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// <c>GET v2/models/{m}[/versions/{v}]/accuracy</c> and <c>.../fairness</c> (computed from the prediction log on
/// request), and <c>GET v2/alerts</c> (rules and their state). Errors: 404 for an unknown model or one without the
/// needed <c>monitoring</c> section, 409 when the prediction log is off, 404 for alerts without <c>--alerts</c>.
/// </summary>
internal static class EvaluationEndpoints
{
    /// <summary>The error when the prediction log is off.</summary>
    public const string LogOffMessage = "the prediction log is off: start the server with --prediction-log FILE to compute live accuracy and fairness";

    /// <summary>The error of <c>v2/alerts</c> without an alerts file.</summary>
    public const string AlertsOffMessage = "alerts are off: start the server with --alerts FILE (docs/accuracy-fairness-alerts.md)";

    private static readonly string[] AllVerbs = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    /// <summary>Maps the routes.</summary>
    public static void Map(WebApplication app)
    {
        var limits = app.Services.GetService<RequestLimits>() ?? new RequestLimits();
        var routes = new List<(string Pattern, Func<HttpContext, Task<RestReply>> Handler)> { ("v2/alerts", Alerts) };
        foreach (var prefix in new[] { "v2/models/{model}", "v2/models/{model}/versions/{version}" })
        {
            routes.Add((prefix + "/accuracy", context => AccuracyAsync(context, limits)));
            routes.Add((prefix + "/fairness", context => FairnessAsync(context, limits)));
        }

        foreach (var (pattern, handler) in routes)
        {
            app.MapMethods(pattern, ["GET"], RestExecutor.Wrap(handler));
            app.MapMethods(pattern, AllVerbs.Except(["GET"]).ToArray(), RestExecutor.Wrap(static _ =>
            {
                var error = RestReply.Json(StatusCodes.Status405MethodNotAllowed, RestJson.Error("method not allowed"));
                return Task.FromResult(new RestReply { Status = error.Status, ContentType = error.ContentType, Body = error.Body, Headers = [new("Allow", "GET")] });
            }));
        }
    }

    private static async Task<RestReply> AccuracyAsync(HttpContext context, RequestLimits limits)
    {
        var (model, version, config) = Read(context, limits);
        var monitor = context.RequestServices.GetRequiredService<LiveAccuracyMonitor>();
        RequireLog(monitor.LogEnabled);
        var task = config.Task ?? throw NotConfigured(model, "monitoring.task", "live accuracy");
        var figures = await monitor.RefreshAsync(model, version, context.RequestAborted).ConfigureAwait(false);
        return RestReply.Json(StatusCodes.Status200OK, EvaluationJson.Accuracy(model, task, figures));
    }

    private static async Task<RestReply> FairnessAsync(HttpContext context, RequestLimits limits)
    {
        var (model, version, config) = Read(context, limits);
        var monitor = context.RequestServices.GetRequiredService<FairnessMonitor>();
        RequireLog(monitor.LogEnabled);
        var fairness = config.Fairness ?? throw NotConfigured(model, "monitoring.fairness", "fairness");
        var task = config.Task ?? throw NotConfigured(model, "monitoring.task", "fairness (it says which output is the prediction and what counts as positive)");
        var figures = await monitor.RefreshAsync(model, version, context.RequestAborted).ConfigureAwait(false);
        return RestReply.Json(StatusCodes.Status200OK, EvaluationJson.Fairness(model, task, fairness, figures));
    }

    private static Task<RestReply> Alerts(HttpContext context)
    {
        var engine = context.RequestServices.GetService<AlertEngine>() ?? throw new RestStatusException(StatusCodes.Status404NotFound, AlertsOffMessage);
        return Task.FromResult(RestReply.Json(StatusCodes.Status200OK, EvaluationJson.Alerts(engine)));
    }

    private static (string Model, string? Version, ModelMonitoringConfig Config) Read(HttpContext context, RequestLimits limits)
    {
        var (model, version) = RestRoute.Read(context, limits);
        // The facade answers 404 for an unknown model or version and 503 for one not ready.
        var config = context.RequestServices.GetRequiredService<IInferenceService>().GetModelConfig(model, version);
        try
        {
            return (model, version, MonitoringConfigParser.Get(config.Monitoring));
        }
        catch (MonitoringConfigException ex)
        {
            throw new RestStatusException(StatusCodes.Status409Conflict, $"model '{model}': {ex.Message}");
        }
    }

    private static void RequireLog(bool enabled)
    {
        if (!enabled)
        {
            throw new RestStatusException(StatusCodes.Status409Conflict, LogOffMessage);
        }
    }

    private static RestStatusException NotConfigured(string model, string section, string feature) =>
        new(StatusCodes.Status404NotFound, $"model '{model}' has no {section} section in its config.json; {feature} needs one (docs/accuracy-fairness-alerts.md)");
}
