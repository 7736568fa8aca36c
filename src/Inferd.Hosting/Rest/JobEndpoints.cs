using System.Globalization;
using Inferd.Abstractions.Inference;
using Inferd.Batch.Jobs;
using Inferd.Batch.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Inferd.Hosting.Rest;

/// <summary>
/// <c>v2/inferd/jobs</c> and <c>v2/inferd/schedules</c>, an Inferd extension: batch jobs over files in the data folder
/// (docs/configuration.md, "Batch jobs on the server"). Without a data folder every route answers 404 saying how to
/// turn the API on.
/// </summary>
internal static class JobEndpoints
{
    /// <summary>The error of every job route when the server has no data folder.</summary>
    public const string OffMessage = "batch jobs are off: start the server with --data-dir DIR to enable them";

    /// <summary>Most bytes of a job or schedule request: a few paths and maps.</summary>
    private const int MaxBodyBytes = 1 << 20;

    private const int DefaultListLimit = 100;

    private static readonly string[] AllVerbs = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    /// <summary>Maps the job and schedule routes over the <see cref="BatchJobManager"/> in DI, if any.</summary>
    public static IEndpointRouteBuilder MapInferdJobs(this IEndpointRouteBuilder app)
    {
        var manager = app.ServiceProvider.GetService<BatchJobManager>();
        var routes = new List<(string Pattern, string Verb, Func<BatchJobManager, HttpContext, Task<RestReply>> Handler)>
        {
            ("v2/inferd/jobs", "POST", SubmitAsync),
            ("v2/inferd/jobs", "GET", List),
            ("v2/inferd/jobs/{id}", "GET", Get),
            ("v2/inferd/jobs/{id}/cancel", "POST", CancelAsync),
            ("v2/inferd/schedules", "POST", ScheduleEndpoints.AddAsync),
            ("v2/inferd/schedules", "GET", ScheduleEndpoints.List),
            ("v2/inferd/schedules/{name}", "GET", ScheduleEndpoints.Get),
            ("v2/inferd/schedules/{name}", "DELETE", ScheduleEndpoints.Delete),
            ("v2/inferd/schedules/{name}/run", "POST", ScheduleEndpoints.Run),
        };
        if (manager is null)
        {
            foreach (var pattern in routes.Select(r => r.Pattern).Distinct())
            {
                app.MapMethods(pattern, AllVerbs, RestExecutor.Wrap(static _ => Task.FromException<RestReply>(new RestStatusException(StatusCodes.Status404NotFound, OffMessage))));
            }

            return app;
        }

        foreach (var (pattern, verb, handler) in routes)
        {
            app.MapMethods(pattern, [verb], RestExecutor.Wrap(context => GuardAsync(manager, context, handler)));
        }

        foreach (var group in routes.GroupBy(r => r.Pattern))
        {
            var allow = string.Join(", ", group.Select(r => r.Verb));
            var others = AllVerbs.Except(group.Select(r => r.Verb)).ToArray();
            app.MapMethods(group.Key, others, RestExecutor.Wrap(_ =>
            {
                var error = RestReply.Json(StatusCodes.Status405MethodNotAllowed, RestJson.Error("method not allowed"));
                return Task.FromResult(new RestReply { Status = error.Status, ContentType = error.ContentType, Body = error.Body, Headers = [new("Allow", allow)] });
            }));
        }

        return app;
    }

    /// <summary>Reads a request body of at most <see cref="MaxBodyBytes"/>.</summary>
    internal static Task<PooledBody> ReadBodyAsync(HttpContext context) => RestBody.ReadAsync(context, MaxBodyBytes, context.RequestAborted);

    /// <summary>A route value.</summary>
    internal static string Route(HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";

    private static async Task<RestReply> SubmitAsync(BatchJobManager manager, HttpContext context)
    {
        JobRequest request;
        using (var body = await ReadBodyAsync(context))
        {
            request = JobRequestJson.ReadJob(body.Memory);
        }

        var job = manager.Submit(request);
        var reply = RestReply.Json(StatusCodes.Status201Created, JobJson.Job(job));
        return new RestReply { Status = reply.Status, ContentType = reply.ContentType, Body = reply.Body, Headers = [new("Location", "/v2/inferd/jobs/" + job.Id)] };
    }

    private static Task<RestReply> List(BatchJobManager manager, HttpContext context)
    {
        var query = context.Request.Query;
        JobState? state = null;
        if (query.TryGetValue("state", out var stateText) && !string.IsNullOrEmpty(stateText))
        {
            state = JobStates.TryParse(stateText, out var parsed)
                ? parsed
                : throw new RestStatusException(StatusCodes.Status400BadRequest, "state must be one of queued, running, completed, failed, cancelled");
        }

        var limit = DefaultListLimit;
        if (query.TryGetValue("limit", out var limitText) && !string.IsNullOrEmpty(limitText)
            && !int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
        {
            throw new RestStatusException(StatusCodes.Status400BadRequest, $"limit must be a whole number from 1 to {BatchJobManager.MaxListLimit}");
        }

        return Ok(JobJson.Jobs(manager.List(state, limit)));
    }

    private static Task<RestReply> Get(BatchJobManager manager, HttpContext context)
    {
        var id = Route(context, "id");
        var job = manager.Get(id) ?? throw new BatchServiceException(BatchServiceError.NotFound, $"no job '{Clip(id)}'");
        return Ok(JobJson.Job(job));
    }

    private static async Task<RestReply> CancelAsync(BatchJobManager manager, HttpContext context)
    {
        // A running job stops at its next batch, typically within milliseconds; the wait only bounds a stuck model.
        var job = await manager.CancelAsync(Route(context, "id"), TimeSpan.FromSeconds(10), context.RequestAborted);
        return RestReply.Json(StatusCodes.Status200OK, JobJson.Job(job));
    }

    /// <summary>A 200 JSON answer.</summary>
    internal static Task<RestReply> Ok(ReadOnlyMemory<byte> body) => Task.FromResult(RestReply.Json(StatusCodes.Status200OK, body));

    /// <summary>Maps the job service's exceptions to statuses: a bad request 400, a missing name 404, a clash 409.</summary>
    private static async Task<RestReply> GuardAsync(BatchJobManager manager, HttpContext context, Func<BatchJobManager, HttpContext, Task<RestReply>> handler)
    {
        try
        {
            return await handler(manager, context);
        }
        catch (BatchJobException e)
        {
            throw new RestStatusException(StatusCodes.Status400BadRequest, Bound(e.Message));
        }
        catch (BatchServiceException e)
        {
            var status = e.Error == BatchServiceError.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict;
            throw new RestStatusException(status, Bound(e.Message));
        }
    }

    private static string Bound(string message) =>
        message.Length > InferenceException.MaxMessageLength ? message[..(InferenceException.MaxMessageLength - 3)] + "..." : message;

    private static string Clip(string text) => text.Length > 64 ? text[..64] + "..." : text;
}
