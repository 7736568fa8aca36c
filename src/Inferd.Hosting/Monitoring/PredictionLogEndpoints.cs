using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Core.Repository;
using Inferd.Hosting.Rest;
using Inferd.Monitoring.PredictionLog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// The prediction log over REST (docs/prediction-log.md): <c>GET</c> and <c>DELETE v2/logs/predictions</c>, and
/// <c>POST v2/models/{model}/feedback</c> for ground truth. With the log off every route answers 404 saying how to
/// turn it on.
/// </summary>
internal static class PredictionLogEndpoints
{
    /// <summary>The error of every route when the log is off.</summary>
    public const string OffMessage = "the prediction log is off; start the server with --prediction-log";

    public const string LogRoute = "v2/logs/predictions";

    public const string FeedbackRoute = "v2/models/{model}/feedback";

    /// <summary>Most records one GET returns.</summary>
    public const int MaxLimit = 10_000;

    private const int DefaultLimit = 100;

    private const string LoggerName = "Inferd.Monitoring.PredictionLog";

    private static readonly string[] AllVerbs = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    public static WebApplication MapInferdPredictionLog(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var store = app.Services.GetService<IPredictionLogStore>();
        var routes = new (string Pattern, string Verb, Func<IPredictionLogStore, HttpContext, Task<RestReply>> Handler)[]
        {
            (LogRoute, "GET", QueryAsync),
            (LogRoute, "DELETE", DeleteAsync),
            (FeedbackRoute, "POST", PredictionLogFeedback.PostAsync),
        };
        if (store is null)
        {
            foreach (var pattern in routes.Select(r => r.Pattern).Distinct())
            {
                app.MapMethods(pattern, AllVerbs, RestExecutor.Wrap(static _ => Task.FromException<RestReply>(new RestStatusException(StatusCodes.Status404NotFound, OffMessage))));
            }

            return app;
        }

        foreach (var (pattern, verb, handler) in routes)
        {
            app.MapMethods(pattern, [verb], RestExecutor.Wrap(context => GuardAsync(store, context, handler)));
        }

        foreach (var group in routes.GroupBy(r => r.Pattern))
        {
            var allow = string.Join(", ", group.Select(r => r.Verb));
            app.MapMethods(group.Key, AllVerbs.Except(group.Select(r => r.Verb)).ToArray(), RestExecutor.Wrap(_ =>
            {
                var error = RestReply.Json(StatusCodes.Status405MethodNotAllowed, RestJson.Error("method not allowed"));
                return Task.FromResult(new RestReply { Status = error.Status, ContentType = error.ContentType, Body = error.Body, Headers = [new("Allow", allow)] });
            }));
        }

        return app;
    }

    /// <summary>A 200 JSON reply built by <paramref name="write"/>.</summary>
    internal static RestReply Ok(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, RestJson.Readable))
        {
            write(w);
        }

        return RestReply.Json(StatusCodes.Status200OK, buffer.WrittenMemory);
    }

    /// <summary>A 400 for a bad request.</summary>
    internal static RestStatusException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    /// <summary>The model name, checked the way the repository checks it.</summary>
    internal static string ModelName(string? name, string what) =>
        RepositoryPaths.IsValidModelName(name) ? name! : throw BadRequest($"{what} must be a valid model name");

    private static async Task<RestReply> QueryAsync(IPredictionLogStore store, HttpContext context)
    {
        var query = context.Request.Query;
        var model = ModelName(Single(query, "model"), "model");
        var version = Single(query, "version");
        var limit = DefaultLimit;
        if (Single(query, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            throw BadRequest($"limit must be a whole number from 1 to {MaxLimit}");
        }

        DateTimeOffset? since = null;
        if (Single(query, "since") is { } sinceText)
        {
            since = DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? parsed
                : throw BadRequest("since must be an ISO 8601 time, e.g. 2026-03-01T12:00:00Z");
        }

        var records = await store.QueryAsync(new PredictionQuery(model, version, since, limit), context.RequestAborted);
        return Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("predictions");
            foreach (var r in records)
            {
                WriteRecord(w, r);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<RestReply> DeleteAsync(IPredictionLogStore store, HttpContext context)
    {
        var caller = Single(context.Request.Query, "caller");
        var requestId = Single(context.Request.Query, "request_id");
        if ((caller is null) == (requestId is null))
        {
            throw BadRequest("give exactly one of caller and request_id, e.g. DELETE /v2/logs/predictions?caller=alice");
        }

        var deleted = await store.DeleteAsync(caller, requestId, context.RequestAborted);
        return Ok(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("deleted", deleted);
            w.WriteEndObject();
        });
    }

    private static void WriteRecord(Utf8JsonWriter w, PredictionRecord r)
    {
        w.WriteStartObject();
        w.WriteString("request_id", r.RequestId);
        w.WriteString("model", r.Model);
        w.WriteString("version", r.Version);
        w.WriteString("timestamp", r.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteNumber("latency_us", r.LatencyUs);
        if (r.Caller is null)
        {
            w.WriteNull("caller");
        }
        else
        {
            w.WriteString("caller", r.Caller);
        }

        // Stored JSON is written as JSON, not as a string; the store wrote it, so it is well-formed.
        w.WritePropertyName("inputs");
        w.WriteRawValue(r.InputsJson, skipInputValidation: true);
        w.WritePropertyName("outputs");
        w.WriteRawValue(r.OutputsJson, skipInputValidation: true);
        w.WritePropertyName("truth");
        if (r.TruthJson is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteRawValue(r.TruthJson, skipInputValidation: true);
        }

        if (r.FeedbackAt is { } at)
        {
            w.WriteString("feedback_at", at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull("feedback_at");
        }

        w.WriteEndObject();
    }

    private static string? Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw BadRequest($"{name} must appear once");
        }

        return string.IsNullOrEmpty(values[0]) ? throw BadRequest($"{name} must not be empty") : values[0];
    }

    private static async Task<RestReply> GuardAsync(IPredictionLogStore store, HttpContext context, Func<IPredictionLogStore, HttpContext, Task<RestReply>> handler)
    {
        try
        {
            return await handler(store, context);
        }
        catch (DbException e)
        {
            // SQLite busy past its timeout, PostgreSQL unreachable: worth a retry, not a 500.
            PredictionLogLog.StoreUnavailable(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName), context.Request.Path.Value ?? "", e);
            throw new RestStatusException(StatusCodes.Status503ServiceUnavailable, "the prediction log is unavailable; try again");
        }
    }
}
