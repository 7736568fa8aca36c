using Inferd.Batch.Service;
using Microsoft.AspNetCore.Http;

namespace Inferd.Hosting.Rest;

/// <summary>Handlers of <c>v2/inferd/schedules</c>; mapped, with their error statuses, by <see cref="JobEndpoints"/>.</summary>
internal static class ScheduleEndpoints
{
    /// <summary><c>POST v2/inferd/schedules</c>: 201 with the schedule.</summary>
    public static async Task<RestReply> AddAsync(BatchJobManager manager, HttpContext context)
    {
        ScheduleRequest request;
        using (var body = await JobEndpoints.ReadBodyAsync(context))
        {
            request = JobRequestJson.ReadSchedule(body.Memory);
        }

        var schedule = manager.Schedules.Add(request);
        var reply = RestReply.Json(StatusCodes.Status201Created, JobJson.Schedule(schedule));
        return new RestReply { Status = reply.Status, ContentType = reply.ContentType, Body = reply.Body, Headers = [new("Location", "/v2/inferd/schedules/" + schedule.Name)] };
    }

    /// <summary><c>GET v2/inferd/schedules</c>: <c>{"schedules": [...]}</c>.</summary>
    public static Task<RestReply> List(BatchJobManager manager, HttpContext context) => JobEndpoints.Ok(JobJson.Schedules(manager.Schedules.List()));

    /// <summary><c>GET v2/inferd/schedules/{name}</c>.</summary>
    public static Task<RestReply> Get(BatchJobManager manager, HttpContext context) =>
        JobEndpoints.Ok(JobJson.Schedule(manager.Schedules.Get(JobEndpoints.Route(context, "name"))));

    /// <summary><c>DELETE v2/inferd/schedules/{name}</c>: 200 with the deleted schedule.</summary>
    public static Task<RestReply> Delete(BatchJobManager manager, HttpContext context)
    {
        var name = JobEndpoints.Route(context, "name");
        var schedule = manager.Schedules.Get(name);
        manager.Schedules.Delete(name);
        return JobEndpoints.Ok(JobJson.Schedule(schedule));
    }

    /// <summary><c>POST v2/inferd/schedules/{name}/run</c>: runs it now; <c>{"schedule", "job"}</c> with a null job when no file is new.</summary>
    public static Task<RestReply> Run(BatchJobManager manager, HttpContext context)
    {
        var name = JobEndpoints.Route(context, "name");
        var job = manager.Schedules.RunNow(name);
        return JobEndpoints.Ok(JobJson.Run(name, job));
    }
}
