using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;

namespace Inferd.Core.Repository;

/// <summary>
/// Completes a user config from the model file's own signature (names, datatypes, shapes), and reports every
/// disagreement precisely: a config/ONNX shape mismatch is the most common config complaint against Triton.
/// </summary>
public static class ConfigCompleter
{
    /// <summary>Triton's default <c>max_batch_size</c> when a batchable model has no config (default-max-batch-size).</summary>
    public const int DefaultMaxBatchSize = 4;

    /// <summary>Returns the effective config. Throws <see cref="ModelConfigException"/> on a mismatch.</summary>
    /// <param name="parsed">The config as the user wrote it.</param>
    /// <param name="signature">Inputs and outputs of the loaded model.</param>
    /// <param name="backend">The backend that loaded it.</param>
    /// <param name="platform">The loaded model's own platform when it differs from the backend's (pipelines), else null.</param>
    public static ModelConfig Complete(ParsedModelConfig parsed, ModelSignature signature, IModelBackend backend, string? platform = null)
    {
        var user = parsed.Config;
        var effectivePlatform = platform ?? backend.Platform;
        if (user.Backend.Length > 0 && user.Backend != backend.Name)
        {
            throw new ModelConfigException($"unsupported backend '{JsonFields.Clip(user.Backend)}'; Inferd runs '{backend.Name}'");
        }

        if (user.Platform.Length > 0 && user.Platform != effectivePlatform)
        {
            throw new ModelConfigException($"unsupported platform '{JsonFields.Clip(user.Platform)}'; this model runs as '{effectivePlatform}'");
        }

        var batchable = signature.Inputs.Concat(signature.Outputs).All(t => t.Shape.Length >= 1 && t.Shape[0] == -1)
            && signature.Inputs.Count > 0;
        var maxBatch = parsed.HasMaxBatchSize ? user.MaxBatchSize : (batchable ? DefaultMaxBatchSize : 0);
        if (maxBatch > 0 && !batchable)
        {
            var offender = signature.Inputs.Concat(signature.Outputs).FirstOrDefault(t => t.Shape.Length == 0 || t.Shape[0] != -1);
            var detail = offender is null ? "the model has no inputs" : $"'{offender.Name}' has shape {TensorShape.Format(offender.Shape)}";
            throw new ModelConfigException($"max_batch_size {maxBatch} needs a variable first dimension on every input and output, but {detail}; set max_batch_size to 0");
        }

        var inputs = Merge(user.Inputs, signature.Inputs, maxBatch, "input");
        var outputs = Merge(user.Outputs, signature.Outputs, maxBatch, "output");
        CheckWarmup(user.ModelWarmup, inputs, maxBatch);
        return user with
        {
            Platform = effectivePlatform,
            Backend = backend.Name,
            MaxBatchSize = maxBatch,
            Inputs = inputs,
            Outputs = outputs,
            InstanceGroups = user.InstanceGroups.Count > 0 ? user.InstanceGroups : [new InstanceGroup(user.Name + "_0", 1, InstanceKind.Cpu, [])],
        };
    }

    private static TensorConfig[] Merge(IReadOnlyList<TensorConfig> configured, IReadOnlyList<TensorSignature> declared, int maxBatch, string role)
    {
        var byName = declared.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<TensorConfig>();
        foreach (var c in configured)
        {
            if (!seen.Add(c.Name))
            {
                throw new ModelConfigException($"{role} '{JsonFields.Clip(c.Name)}' is listed twice");
            }

            if (!byName.TryGetValue(c.Name, out var d))
            {
                var names = string.Join(", ", declared.Select(t => t.Name));
                throw new ModelConfigException($"{role} '{JsonFields.Clip(c.Name)}' is not in the model; the model's {role}s are: {names}");
            }

            var fileDims = maxBatch > 0 ? d.Shape[1..] : d.Shape;
            if (c.DataType != DataType.Invalid && c.DataType != d.DataType)
            {
                throw new ModelConfigException($"{role} '{c.Name}': config data_type {c.DataType.ToConfigName()} does not match the model's {d.DataType.ToConfigName()}");
            }

            var dims = fileDims;
            if (c.DimsSpecified)
            {
                if (!Compatible(c.Dims, fileDims))
                {
                    var batchNote = maxBatch > 0 ? " (batch dimension excluded because max_batch_size > 0)" : "";
                    throw new ModelConfigException($"{role} '{c.Name}': config dims {TensorShape.Format(c.Dims)} do not match the model's {TensorShape.Format(fileDims)}{batchNote}");
                }

                dims = c.Dims.Zip(fileDims, (a, b) => a == -1 ? b : a).ToArray();
            }

            result.Add(c with { DataType = d.DataType, Dims = dims, DimsSpecified = true });
        }

        // Auto-complete: whatever the file declares and the config left out is added, in the file's order.
        foreach (var d in declared)
        {
            if (!seen.Contains(d.Name))
            {
                result.Add(new TensorConfig(d.Name, d.DataType, maxBatch > 0 ? d.Shape[1..] : d.Shape));
            }
        }

        return result.ToArray();
    }

    /// <summary>Checks warmup samples against the completed inputs: names, datatypes, shapes and batch size.</summary>
    private static void CheckWarmup(IReadOnlyList<ModelWarmup> samples, IReadOnlyList<TensorConfig> inputs, int maxBatch)
    {
        SchedulingConfigJson.CheckWarmupBatchSizes(samples, maxBatch);
        var byName = inputs.ToDictionary(t => t.Name, StringComparer.Ordinal);
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            var where = SchedulingConfigJson.WarmupWhere(i, sample.Name);
            foreach (var (name, input) in sample.Inputs)
            {
                if (!byName.TryGetValue(name, out var model))
                {
                    var names = string.Join(", ", inputs.Select(t => t.Name));
                    throw new ModelConfigException($"{where} input '{JsonFields.Clip(name)}' is not in the model; the model's inputs are: {names}");
                }

                if (input.DataType != model.DataType)
                {
                    throw new ModelConfigException($"{where} input '{name}': data_type {input.DataType.ToConfigName()} does not match the model's {model.DataType.ToConfigName()}");
                }

                if (!Compatible(input.Dims, model.Dims))
                {
                    var batchNote = maxBatch > 0 ? " (batch dimension excluded because max_batch_size > 0)" : "";
                    throw new ModelConfigException($"{where} input '{name}': dims {TensorShape.Format(input.Dims)} do not match the model's {TensorShape.Format(model.Dims)}{batchNote}");
                }
            }

            var missing = inputs.FirstOrDefault(t => !t.Optional && !sample.Inputs.ContainsKey(t.Name));
            if (missing is not null)
            {
                throw new ModelConfigException($"{where} has no data for the model's input '{missing.Name}'");
            }
        }
    }

    private static bool Compatible(long[] config, long[] file)
    {
        if (config.Length != file.Length)
        {
            return false;
        }

        for (var i = 0; i < config.Length; i++)
        {
            // A config may fix a dimension the file leaves symbolic, or leave one variable; never contradict one.
            if (config[i] != -1 && file[i] != -1 && config[i] != file[i])
            {
                return false;
            }
        }

        return true;
    }
}
