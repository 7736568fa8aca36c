using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Core.Inference;
using Inferd.Core.Telemetry;
using Inferd.Hosting.Rest;
using Inferd.Monitoring.Alerts;
using Inferd.Monitoring.Configuration;
using Inferd.Monitoring.Drift;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// Data drift (docs/drift.md): registers the <see cref="DriftMonitor"/> as an observer, a metrics source and an alert
/// signal source, and maps <c>GET v2/models/{m}[/versions/{v}]/drift</c>.
/// </summary>
internal static class DriftEndpoints
{
    /// <summary>The route of the model's default version.</summary>
    public const string Route = "v2/models/{model}/drift";

    /// <summary>The route of one version.</summary>
    public const string VersionRoute = "v2/models/{model}/versions/{version}/drift";

    private static readonly string[] OtherVerbs = ["POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    /// <summary>Registers the drift monitor over the repository of <paramref name="options"/>.</summary>
    public static IServiceCollection AddInferdDrift(this IServiceCollection services, InferdHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var repository = Path.GetFullPath(options.ModelRepository);
        services.AddSingleton(sp => new DriftMonitor(repository, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DriftMonitor>>()));
        services.AddSingleton<IInferenceObserver>(sp => sp.GetRequiredService<DriftMonitor>());
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<DriftMonitor>());
        services.AddSingleton<IAlertSignalSource>(sp => sp.GetRequiredService<DriftMonitor>());
        return services;
    }

    /// <summary>Maps the drift routes; other verbs answer 405.</summary>
    public static WebApplication MapInferdDrift(this WebApplication app)
    {
        var limits = app.Services.GetService<RequestLimits>() ?? new RequestLimits();
        foreach (var pattern in new[] { Route, VersionRoute })
        {
            app.MapMethods(pattern, ["GET"], RestExecutor.Wrap(context => Task.FromResult(Report(context, limits))));
            app.MapMethods(pattern, OtherVerbs, RestExecutor.Wrap(static _ =>
            {
                var error = RestReply.Json(StatusCodes.Status405MethodNotAllowed, RestJson.Error("method not allowed"));
                return Task.FromResult(new RestReply { Status = error.Status, ContentType = error.ContentType, Body = error.Body, Headers = [new("Allow", "GET")] });
            }));
        }

        return app;
    }

    private static RestReply Report(HttpContext context, RequestLimits limits)
    {
        var (model, version) = RestRoute.Read(context, limits);
        var service = context.RequestServices.GetRequiredService<IInferenceService>();
        var monitor = context.RequestServices.GetRequiredService<DriftMonitor>();

        // Unknown models, versions and models that are not ready fail here with the facade's own 404 or 503.
        var config = service.GetModelConfig(model, version);
        version ??= LatestVersion(service.GetModelMetadata(model, null).Versions);
        DriftReport? report;
        try
        {
            report = monitor.GetReport(config, version, TimeSpan.Zero);
        }
        catch (MonitoringConfigException e)
        {
            throw new RestStatusException(StatusCodes.Status500InternalServerError, $"model '{PredictTensorBuilder.Clip(model)}' has an invalid monitoring section: {e.Message}");
        }

        if (report is null)
        {
            throw new RestStatusException(StatusCodes.Status404NotFound, $"model '{PredictTensorBuilder.Clip(model)}' has no reference profile; build one with `inferd profile`");
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, RestJson.Readable))
        {
            DriftReportJson.Write(writer, report);
        }

        return RestReply.Json(StatusCodes.Status200OK, buffer.WrittenMemory);
    }

    // A request without a version is answered by the newest ready one (ModelManager.Acquire).
    private static string LatestVersion(IReadOnlyList<string> versions) =>
        versions.OrderByDescending(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ThenByDescending(v => v, StringComparer.Ordinal).First();
}
