using System.Globalization;
using System.Text.Json;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;

namespace Inferd.Core.Repository;

/// <summary>
/// Reads the scheduling parts of a model config: <c>dynamic_batching</c> with its priority levels and queue
/// policies, and <c>model_warmup</c>; split from <see cref="ModelConfigJson"/>, which calls it.
/// </summary>
internal static class SchedulingConfigJson
{
    /// <summary>
    /// Checks each warmup sample's batch_size against max_batch_size: at most max_batch_size when the model
    /// batches, 0 or 1 when it does not. Called with the user's value here and with the completed one by
    /// <see cref="ConfigCompleter"/>.
    /// </summary>
    internal static void CheckWarmupBatchSizes(IReadOnlyList<ModelWarmup> samples, int maxBatchSize)
    {
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            if (maxBatchSize > 0 && sample.BatchSize > maxBatchSize)
            {
                throw new ModelConfigException($"{WarmupWhere(i, sample.Name)}.batch_size {sample.BatchSize} is larger than max_batch_size {maxBatchSize}");
            }

            if (maxBatchSize == 0 && sample.BatchSize > 1)
            {
                throw new ModelConfigException($"{WarmupWhere(i, sample.Name)}.batch_size {sample.BatchSize} needs batching, but max_batch_size is 0; use 0 or 1");
            }
        }
    }

    /// <summary>How messages name a warmup sample: its index, and its name when it has one.</summary>
    internal static string WarmupWhere(int index, string name) =>
        name.Length == 0 ? $"model_warmup[{index}]" : $"model_warmup[{index}] '{JsonFields.Clip(name)}'";

    internal static DynamicBatchingConfig ReadDynamicBatching(JsonElement v)
    {
        JsonFields.CheckKnown(v, "dynamic_batching", "preferred_batch_size", "max_queue_delay_microseconds", "preserve_ordering", "priority_levels", "default_priority_level", "default_queue_policy", "priority_queue_policy");
        var preferred = v.TryGetProperty("preferred_batch_size", out var pb)
            ? JsonFields.GetArray(pb, "dynamic_batching.preferred_batch_size").Select(x => JsonFields.GetInt32(x, "dynamic_batching.preferred_batch_size")).ToArray()
            : [];
        var delay = v.TryGetProperty("max_queue_delay_microseconds", out var d) ? JsonFields.GetInt64(d, "dynamic_batching.max_queue_delay_microseconds") : 0;
        var preserve = v.TryGetProperty("preserve_ordering", out var po) && JsonFields.GetBool(po, "dynamic_batching.preserve_ordering");
        var levels = v.TryGetProperty("priority_levels", out var pl) ? GetNonNegativeInt32(pl, "dynamic_batching.priority_levels") : 0;
        var defaultLevel = v.TryGetProperty("default_priority_level", out var dl) ? GetNonNegativeInt32(dl, "dynamic_batching.default_priority_level") : 0;
        if (defaultLevel > levels)
        {
            throw new ModelConfigException($"dynamic_batching.default_priority_level {defaultLevel} must be between 0 and priority_levels ({levels})");
        }

        // A policy the user writes takes Triton's defaults for the fields it leaves out (no timeout override);
        // without one, QueuePolicy.Default lets requests set their own timeout.
        var defaultPolicy = v.TryGetProperty("default_queue_policy", out var dp) ? ReadQueuePolicy(dp, "dynamic_batching.default_queue_policy") : QueuePolicy.Default;
        var policies = new Dictionary<int, QueuePolicy>();
        if (v.TryGetProperty("priority_queue_policy", out var pq))
        {
            if (pq.ValueKind != JsonValueKind.Object)
            {
                throw new ModelConfigException("dynamic_batching.priority_queue_policy must be an object keyed by priority level");
            }

            foreach (var entry in pq.EnumerateObject())
            {
                var where = $"dynamic_batching.priority_queue_policy['{JsonFields.Clip(entry.Name)}']";
                if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level < 1 || level > levels)
                {
                    throw new ModelConfigException(levels == 0
                        ? $"{where}: priority_queue_policy needs priority_levels > 0"
                        : $"{where}: the key must be a priority level between 1 and priority_levels ({levels})");
                }

                if (!policies.TryAdd(level, ReadQueuePolicy(entry.Value, where)))
                {
                    throw new ModelConfigException($"{where}: priority level {level} is listed twice");
                }
            }
        }

        return new DynamicBatchingConfig(preferred, delay, preserve)
        {
            PriorityLevels = levels,
            DefaultPriorityLevel = defaultLevel,
            DefaultQueuePolicy = defaultPolicy,
            PriorityQueuePolicy = policies,
        };
    }

    private static QueuePolicy ReadQueuePolicy(JsonElement v, string where)
    {
        JsonFields.CheckKnown(v, where, "timeout_action", "default_timeout_microseconds", "allow_timeout_override", "max_queue_size");
        var action = TimeoutAction.Reject;
        if (v.TryGetProperty("timeout_action", out var ta))
        {
            action = ta.ValueKind switch
            {
                JsonValueKind.String when ta.GetString() == "REJECT" => TimeoutAction.Reject,
                JsonValueKind.String when ta.GetString() == "DELAY" => TimeoutAction.Delay,
                JsonValueKind.Number when ta.TryGetInt32(out var n) && n is 0 or 1 => (TimeoutAction)n,
                _ => throw new ModelConfigException($"{where}.timeout_action must be REJECT or DELAY (0 or 1)"),
            };
        }

        var timeout = 0L;
        if (v.TryGetProperty("default_timeout_microseconds", out var dt))
        {
            timeout = JsonFields.GetInt64(dt, where + ".default_timeout_microseconds");
            if (timeout < 0)
            {
                throw new ModelConfigException($"{where}.default_timeout_microseconds must not be negative");
            }
        }

        var allow = v.TryGetProperty("allow_timeout_override", out var ao) && JsonFields.GetBool(ao, where + ".allow_timeout_override");
        var maxQueue = v.TryGetProperty("max_queue_size", out var mq) ? GetNonNegativeInt32(mq, where + ".max_queue_size") : 0;
        return new QueuePolicy(action, timeout, allow, maxQueue);
    }

    internal static ModelWarmup ReadWarmup(JsonElement e, int index)
    {
        JsonFields.CheckKnown(e, $"model_warmup[{index}]", "name", "batch_size", "inputs", "count");
        var name = e.TryGetProperty("name", out var n) ? JsonFields.GetString(n, $"model_warmup[{index}].name") : "";
        var where = WarmupWhere(index, name);
        var batchSize = e.TryGetProperty("batch_size", out var bs) ? GetNonNegativeInt32(bs, where + ".batch_size") : 0;

        // As in Triton, a count of 0 (or none) runs the sample once.
        var count = e.TryGetProperty("count", out var c) ? GetNonNegativeInt32(c, where + ".count") : 0;
        var inputs = new Dictionary<string, WarmupInput>(StringComparer.Ordinal);
        if (e.TryGetProperty("inputs", out var ins))
        {
            if (ins.ValueKind != JsonValueKind.Object)
            {
                throw new ModelConfigException($"{where}.inputs must be an object keyed by input name");
            }

            foreach (var input in ins.EnumerateObject())
            {
                var inputWhere = $"{where}.inputs['{JsonFields.Clip(input.Name)}']";
                if (input.Name.Length == 0)
                {
                    throw new ModelConfigException($"{where}.inputs: an input name is empty");
                }

                if (!inputs.TryAdd(input.Name, ReadWarmupInput(input.Value, inputWhere)))
                {
                    throw new ModelConfigException($"{inputWhere} is listed twice");
                }
            }
        }

        return new ModelWarmup(name, batchSize, inputs, Math.Max(1, count));
    }

    private static WarmupInput ReadWarmupInput(JsonElement e, string where)
    {
        JsonFields.CheckKnown(e, where, "data_type", "dims", "zero_data", "random_data", "input_data_file");
        var typeName = e.TryGetProperty("data_type", out var dt) ? JsonFields.GetString(dt, where + ".data_type") : "";
        if (!DataTypes.TryParseConfigName(typeName, out var type))
        {
            throw new ModelConfigException(typeName.Length == 0
                ? $"{where}.data_type is required"
                : $"{where}.data_type '{JsonFields.Clip(typeName)}' is not a known TYPE_ value");
        }

        var dims = e.TryGetProperty("dims", out var d) ? JsonFields.GetArray(d, where + ".dims").Select(x => JsonFields.GetInt64(x, where + ".dims")).ToArray() : [];
        if (dims.Any(x => x < 0))
        {
            throw new ModelConfigException($"{where}.dims must be sizes of 0 and more (a warmup sample has a fixed shape)");
        }

        var given = new[] { "zero_data", "random_data", "input_data_file" }.Where(f => e.TryGetProperty(f, out _)).ToArray();
        if (given.Length != 1)
        {
            throw new ModelConfigException(given.Length == 0
                ? $"{where} needs one of zero_data, random_data or input_data_file"
                : $"{where} may hold only one of zero_data, random_data or input_data_file, found {string.Join(" and ", given)}");
        }

        var field = given[0];
        var value = e.GetProperty(field);
        if (field == "input_data_file")
        {
            var file = JsonFields.GetString(value, where + ".input_data_file");
            if (file.Length == 0)
            {
                throw new ModelConfigException($"{where}.input_data_file must name a file");
            }

            return new WarmupInput(type, dims, WarmupDataSource.File, RepositoryPaths.CheckRelativeFileName(file, where + ".input_data_file"));
        }

        if (!JsonFields.GetBool(value, $"{where}.{field}"))
        {
            throw new ModelConfigException($"{where}.{field} must be true when given");
        }

        return new WarmupInput(type, dims, field == "zero_data" ? WarmupDataSource.Zero : WarmupDataSource.Random, null);
    }

    private static int GetNonNegativeInt32(JsonElement value, string field)
    {
        var n = JsonFields.GetInt32(value, field);
        if (n < 0)
        {
            throw new ModelConfigException($"{field} must not be negative");
        }

        return n;
    }
}
