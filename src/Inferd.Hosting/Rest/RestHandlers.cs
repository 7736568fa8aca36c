using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Core.Inference;
using Inferd.Core.Repository;
using Inferd.Hosting.Monitoring;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Inferd.Hosting.Rest;

/// <summary>The REST handlers: translate HTTP to <see cref="IInferenceService"/> calls and back, nothing more.</summary>
/// <param name="limits">Request limits.</param>
internal sealed class RestHandlers(RequestLimits limits)
{
    // Longest version segment: int64 has 19 digits; anything longer cannot name a version.

    // Load parameters may carry a whole config as a JSON string, so values are bounded by the body limit instead.
    private readonly RequestLimits _controlLimits = limits with { MaxParameterLength = (int)Math.Min(limits.MaxRequestBytes, int.MaxValue) };

    public Task<RestReply> Live(HttpContext context)
    {
        var live = Service(context).IsLive;
        return Reply(live ? 200 : 503, RestJson.Flag("live", live));
    }

    public Task<RestReply> Ready(HttpContext context)
    {
        var ready = Service(context).IsReady;
        return Reply(ready ? 200 : 503, RestJson.Flag("ready", ready));
    }

    public Task<RestReply> Server(HttpContext context) => Reply(200, RestJson.Server(Service(context).GetServerMetadata()));

    public Task<RestReply> ModelMetadata(HttpContext context)
    {
        var (model, version) = Route(context);
        return Reply(200, RestJson.Model(Service(context).GetModelMetadata(model, version)));
    }

    public Task<RestReply> ModelReady(HttpContext context)
    {
        var (model, version) = Route(context);
        var ready = Service(context).IsModelReady(model, version);
        return Reply(ready ? 200 : 503, RestJson.ModelReady(model, ready));
    }

    public Task<RestReply> Config(HttpContext context)
    {
        var (model, version) = Route(context);
        var json = ModelConfigJson.Write(Service(context).GetModelConfig(model, version));
        return Reply(200, Encoding.UTF8.GetBytes(json));
    }

    public Task<RestReply> AllStatistics(HttpContext context) => Reply(200, RestJson.Statistics(Service(context).GetStatistics(null, null)));

    public Task<RestReply> Statistics(HttpContext context)
    {
        var (model, version) = Route(context);
        return Reply(200, RestJson.Statistics(Service(context).GetStatistics(model, version)));
    }

    public async Task<RestReply> Infer(HttpContext context)
    {
        var (model, version) = Route(context);
        var service = Service(context);
        // Unknown or unready models are answered before a byte of the body is buffered, and a known model's
        // body is capped by what its inputs can need.
        var config = service.GetModelConfig(model, version);
        using var body = await RestBody.ReadAsync(context, RequestBodyCap.For(config, limits.MaxRequestBytes), context.RequestAborted);
        var header = context.Request.Headers[InferRequestReader.HeaderLengthHeader];
        if (header.Count > 1)
        {
            throw InferenceException.Invalid($"{InferRequestReader.HeaderLengthHeader} must appear once");
        }

        var request = InferRequestReader.Read(body.Memory, header.Count == 1 ? header[0] : null, model, version, limits, () =>
        {
            var metadata = service.GetModelMetadata(model, version);
            var config = service.GetModelConfig(model, version);
            return new RawInputSpec(metadata.Inputs, config.MaxBatchSize > 0);
        });
        var response = await service.InferAsync(request with { Caller = PredictionLogHeaders.ReadCaller(context) }, context.RequestAborted);
        return PredictionLogHeaders.WithRequestId(InferResponseWriter.Write(response, InferResponseWriter.BinaryByDefault(request)), response.Id);
    }

    public async Task<RestReply> Index(HttpContext context)
    {
        var readyOnly = false;
        using (var document = await ReadOptionalJsonAsync(context))
        {
            if (document is not null && document.RootElement.TryGetProperty("ready", out var ready) && ready.ValueKind != JsonValueKind.Null)
            {
                readyOnly = ready.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw InferenceException.Invalid("'ready' must be a boolean"),
                };
            }
        }

        return RestReply.Json(200, RestJson.Index(Service(context).GetRepositoryIndex(readyOnly)));
    }

    public async Task<RestReply> Load(HttpContext context)
    {
        var (model, _) = Route(context);
        var parameters = await ReadControlParametersAsync(context);
        await Service(context).LoadModelAsync(model, parameters, context.RequestAborted);
        return RestReply.EmptyOk;
    }

    public async Task<RestReply> Unload(HttpContext context)
    {
        var (model, _) = Route(context);
        var parameters = await ReadControlParametersAsync(context);
        await Service(context).UnloadModelAsync(model, parameters, context.RequestAborted);
        return RestReply.EmptyOk;
    }

    private async Task<IReadOnlyDictionary<string, ParameterValue>> ReadControlParametersAsync(HttpContext context)
    {
        using var document = await ReadOptionalJsonAsync(context);
        if (document is null || !document.RootElement.TryGetProperty("parameters", out var parameters) || parameters.ValueKind == JsonValueKind.Null)
        {
            return JsonParameters.None;
        }

        return JsonParameters.Read(parameters, _controlLimits, "request");
    }

    // An empty body is allowed (tritonclient sends one for index); otherwise it must be a JSON object.
    private async Task<JsonDocument?> ReadOptionalJsonAsync(HttpContext context)
    {
        using var body = await RestBody.ReadAsync(context, limits.MaxRequestBytes, context.RequestAborted);
        if (body.Length == 0)
        {
            return null;
        }

        JsonDocument document;
        try
        {
            // A parsed document keeps referring to its input, so it gets its own copy of this small control body.
            document = JsonDocument.Parse(body.Memory.ToArray(), new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException)
        {
            throw InferenceException.Invalid($"the request is not valid JSON, or is nested deeper than {limits.MaxJsonDepth} levels");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw InferenceException.Invalid("the request must be a JSON object");
        }

        return document;
    }

    private (string Model, string? Version) Route(HttpContext context) => RestRoute.Read(context, limits);

    private static IInferenceService Service(HttpContext context) => context.RequestServices.GetRequiredService<IInferenceService>();

    private static Task<RestReply> Reply(int status, ReadOnlyMemory<byte> body) => Task.FromResult(RestReply.Json(status, body));
}
