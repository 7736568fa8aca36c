using System.Globalization;
using System.Text.Json;
using Inferd.Abstractions.Models;

namespace Inferd.Cli.Bench;

/// <summary>
/// Cumulative statistics of one model summed over its versions (statistics extension, protocol.md §7.3): enough to
/// compute the per-request server breakdown between two snapshots, as perf_analyzer does.
/// </summary>
internal sealed record ServerStats(
    ulong SuccessCount,
    ulong QueueNs,
    ulong ComputeInputNs,
    ulong ComputeInferNs,
    ulong ComputeOutputNs,
    ulong InferenceCount,
    ulong ExecutionCount)
{
    /// <summary>
    /// Parses <c>GET /v2/models/{m}/stats</c> or the gRPC <c>ModelStatisticsResponse</c> in protobuf JSON (where
    /// 64-bit numbers are strings and zero-valued fields may be missing).
    /// </summary>
    /// <exception cref="FormatException">The text is not a statistics answer.</exception>
    public static ServerStats Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("model_stats", out var models) || models.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the statistics answer has no model_stats array");
            }

            ulong success = 0, queue = 0, input = 0, infer = 0, output = 0, inferences = 0, executions = 0;
            foreach (var model in models.EnumerateArray())
            {
                inferences += Number(model, "inference_count");
                executions += Number(model, "execution_count");
                if (model.TryGetProperty("inference_stats", out var s) && s.ValueKind == JsonValueKind.Object)
                {
                    success += Duration(s, "success", "count");
                    queue += Duration(s, "queue", "ns");
                    input += Duration(s, "compute_input", "ns");
                    infer += Duration(s, "compute_infer", "ns");
                    output += Duration(s, "compute_output", "ns");
                }
            }

            return new ServerStats(success, queue, input, infer, output, inferences, executions);
        }
        catch (JsonException e)
        {
            throw new FormatException("the statistics answer is not valid JSON: " + e.Message, e);
        }
    }

    /// <summary>Sums the statistics of every version in <paramref name="models"/>.</summary>
    public static ServerStats From(IReadOnlyList<ModelStatistics> models)
    {
        ulong success = 0, queue = 0, input = 0, infer = 0, output = 0, inferences = 0, executions = 0;
        foreach (var m in models)
        {
            success += m.InferenceStats.Success.Count;
            queue += m.InferenceStats.Queue.Ns;
            input += m.InferenceStats.ComputeInput.Ns;
            infer += m.InferenceStats.ComputeInfer.Ns;
            output += m.InferenceStats.ComputeOutput.Ns;
            inferences += m.InferenceCount;
            executions += m.ExecutionCount;
        }

        return new ServerStats(success, queue, input, infer, output, inferences, executions);
    }

    /// <summary>The per-request breakdown between an earlier snapshot and this one; null when no request succeeded in between.</summary>
    public ServerBreakdown? Since(ServerStats earlier)
    {
        var requests = SuccessCount - earlier.SuccessCount;
        if (requests == 0 || SuccessCount < earlier.SuccessCount)
        {
            return null;
        }

        double PerRequestUs(ulong now, ulong then) => (now - then) / 1000.0 / requests;
        var executions = ExecutionCount - earlier.ExecutionCount;
        return new ServerBreakdown(
            PerRequestUs(QueueNs, earlier.QueueNs),
            PerRequestUs(ComputeInputNs, earlier.ComputeInputNs),
            PerRequestUs(ComputeInferNs, earlier.ComputeInferNs),
            PerRequestUs(ComputeOutputNs, earlier.ComputeOutputNs),
            executions == 0 ? null : (double)(InferenceCount - earlier.InferenceCount) / executions);
    }

    private static ulong Duration(JsonElement stats, string name, string field) =>
        stats.TryGetProperty(name, out var d) && d.ValueKind == JsonValueKind.Object ? Number(d, field) : 0;

    private static ulong Number(JsonElement e, string property)
    {
        if (!e.TryGetProperty(property, out var v))
        {
            return 0;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetUInt64(),
            JsonValueKind.String => ulong.Parse(v.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture),
            _ => throw new FormatException($"'{property}' is not a number"),
        };
    }
}
