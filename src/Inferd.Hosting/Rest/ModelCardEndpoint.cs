using System.Buffers;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Core.Inference;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Inferd.Hosting.Rest;

/// <summary>
/// <c>GET v2/models/{m}/card</c>: the model's <c>card.md</c> as <c>{"name", "metrics", "markdown"}</c>, or the
/// Markdown itself when the client accepts <c>text/markdown</c> (docs/predict.md). 404 when the model has no card.
/// </summary>
/// <param name="limits">Request limits.</param>
internal sealed class ModelCardEndpoint(RequestLimits limits)
{
    /// <summary>The route.</summary>
    public const string Route = "v2/models/{model}/card";

    /// <summary>The media type of the Markdown form.</summary>
    public const string MarkdownType = "text/markdown";

    public Task<RestReply> Card(HttpContext context)
    {
        var (model, _) = RestRoute.Read(context, limits);
        var card = context.RequestServices.GetRequiredService<IInferenceService>().GetModelCard(model);
        if (WantsMarkdown(context.Request))
        {
            return Task.FromResult(new RestReply
            {
                Status = 200,
                ContentType = MarkdownType + "; charset=utf-8",
                Body = Encoding.UTF8.GetBytes(card.Markdown),
            });
        }

        var buffer = new ArrayBufferWriter<byte>(card.Markdown.Length + 256);
        using (var w = new Utf8JsonWriter(buffer, RestJson.Readable))
        {
            w.WriteStartObject();
            w.WriteString("name", card.Name);
            w.WriteStartObject("metrics");
            foreach (var (name, value) in card.Metrics)
            {
                w.WriteNumber(name, value);
            }

            w.WriteEndObject();
            w.WriteString("markdown", card.Markdown);
            w.WriteEndObject();
        }

        return Task.FromResult(RestReply.Json(200, buffer.WrittenMemory));
    }

    // Markdown only when asked for by name; */* and application/json keep the JSON form.
    private static bool WantsMarkdown(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals(MarkdownType, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);
}
