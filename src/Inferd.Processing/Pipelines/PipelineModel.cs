using System.Diagnostics;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using Inferd.Core.Repository;
using Inferd.Core.Telemetry;

namespace Inferd.Processing.Pipelines;

/// <summary>
/// A pipeline loaded as a model: the repository, scheduler and protocols see one <see cref="ILoadedModel"/> whose
/// inputs and outputs are the pipeline's. Values flow between steps as <see cref="InferenceTensor"/> references:
/// a step's output buffer is the next step's input buffer, never copied. Steps on independent branches run at the
/// same time on the thread pool; a chain runs inline with no thread hops.
/// </summary>
internal sealed class PipelineModel : ILoadedModel
{
    /// <summary>Platform reported for pipelines in metadata and config.</summary>
    public const string PlatformName = "inferd_pipeline";

    private readonly LoadedStep[] _steps;
    private readonly int _valueCount;
    private readonly Dictionary<string, int> _inputSlots;
    private readonly Dictionary<string, int> _outputSlots;
    private readonly bool _parallel;
    private readonly string[] _spanNames;
    private readonly string[] _phases;
    private int _running;
    private int _maxRunning;

    private PipelineModel(LoadedStep[] steps, int valueCount, Dictionary<string, int> inputSlots, Dictionary<string, int> outputSlots, ModelSignature signature, int instances)
    {
        _steps = steps;
        _valueCount = valueCount;
        _inputSlots = inputSlots;
        _outputSlots = outputSlots;
        Signature = signature;
        InstanceCount = instances;
        _parallel = HasIndependentSteps(steps);
        _spanNames = steps.Select(s => InferdTelemetry.StepSpanPrefix + s.Statistics.Name).ToArray();
        _phases = Phases(steps);
        Description = $"pipeline of {steps.Length} steps ({string.Join(" → ", steps.Select(s => s.Statistics.Kind))}), {instances} instances{(_parallel ? ", parallel branches" : "")}";
    }

    /// <inheritdoc />
    public ModelSignature Signature { get; }

    /// <inheritdoc />
    public string? Platform => PlatformName;

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public int InstanceCount { get; }

    /// <summary>Per-step counters, in step order.</summary>
    public IReadOnlyList<StepStatistics> Steps => _steps.Select(s => s.Statistics).ToArray();

    /// <inheritdoc />
    public IReadOnlyList<Abstractions.Models.PipelineStepStatistics> StepStatistics =>
        _steps.Select(s => new Abstractions.Models.PipelineStepStatistics(s.Statistics.Name, s.Statistics.Kind, (ulong)s.Statistics.Count, (ulong)s.Statistics.Failures, (ulong)s.Statistics.TotalNs, s.Statistics.MaxConcurrent)).ToArray();

    /// <summary>The most steps seen running at the same time (above 1 only when branches ran in parallel).</summary>
    public int MaxConcurrentSteps => Volatile.Read(ref _maxRunning);

    /// <summary>Whether some steps do not depend on each other and so may run at the same time.</summary>
    public bool HasParallelBranches => _parallel;

    /// <summary>Loads every step in order, checking each one's wiring against the values before it.</summary>
    public static async Task<PipelineModel> LoadAsync(PipelineDefinition definition, ModelLoadContext context, IModelBackend inner, Func<IInferenceService?> facade, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, TensorSignature>(StringComparer.Ordinal);
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        var producers = new Dictionary<string, int>(StringComparer.Ordinal);
        var inputSlots = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Inputs.Count; i++)
        {
            var input = definition.Inputs[i];
            if (!values.TryAdd(input.Name, new TensorSignature(input.Name, input.DataType, [-1, .. input.Dims])))
            {
                throw new ModelConfigException($"pipeline input '{input.Name}' is declared twice");
            }

            inputSlots[input.Name] = slots[input.Name] = slots.Count;
        }

        var loaded = new List<LoadedStep>();
        try
        {
            foreach (var definitionStep in definition.Steps)
            {
                var factory = StepKinds.Find(definitionStep.Kind)
                    ?? throw new ModelConfigException($"pipeline step '{definitionStep.Name}': unknown kind '{StepOptions.Clip(definitionStep.Kind)}' (known: {string.Join(", ", StepKinds.Names.Order(StringComparer.Ordinal))})");
                var stepContext = new StepLoadContext(definitionStep, values, context, inner, facade);
                var step = await factory(stepContext, cancellationToken).ConfigureAwait(false);
                try
                {
                    loaded.Add(Wire(definitionStep, stepContext, step, values, slots, producers, loaded.Count));
                }
                catch
                {
                    step.Dispose();
                    throw;
                }
            }

            var outputSlots = new Dictionary<string, int>(StringComparer.Ordinal);
            var outputs = new List<TensorSignature>();
            foreach (var output in definition.Outputs)
            {
                if (!slots.TryGetValue(output.From, out var slot))
                {
                    throw new ModelConfigException($"pipeline output '{output.Name}' reads '{output.From}', which no input or step produces");
                }

                if (!outputSlots.TryAdd(output.Name, slot))
                {
                    throw new ModelConfigException($"pipeline output '{output.Name}' is declared twice");
                }

                outputs.Add(values[output.From] with { Name = output.Name });
            }

            var inputs = definition.Inputs.Select(i => values[i.Name]).ToArray();
            var configured = context.Config.InstanceGroups.Sum(g => g.Count);
            var limit = loaded.Min(s => s.Step.Concurrency);
            var instances = limit != int.MaxValue ? limit : configured > 0 ? configured : Math.Max(2, Environment.ProcessorCount);
            return new PipelineModel([.. loaded], slots.Count, inputSlots, outputSlots, new ModelSignature(inputs, outputs), instances);
        }
        catch
        {
            foreach (var s in loaded)
            {
                s.Step.Dispose();
            }

            throw;
        }
    }

    private static LoadedStep Wire(StepDefinition definition, StepLoadContext context, IPipelineStep step, Dictionary<string, TensorSignature> values, Dictionary<string, int> slots, Dictionary<string, int> producers, int index)
    {
        var unknownWire = definition.Inputs.Keys.FirstOrDefault(p => !context.Ports.Contains(p));
        if (unknownWire is not null)
        {
            throw context.Options.Error($"has no input port '{StepOptions.Clip(unknownWire)}' (ports: {string.Join(", ", context.Ports)})");
        }

        var unknownOut = definition.Outputs.Keys.FirstOrDefault(p => step.Outputs.All(o => o.Name != p));
        if (unknownOut is not null)
        {
            throw context.Options.Error($"has no output port '{StepOptions.Clip(unknownOut)}' (ports: {string.Join(", ", step.Outputs.Select(o => o.Name))})");
        }

        var inputSlots = new int[context.Ports.Count];
        var dependsOn = new HashSet<int>();
        for (var i = 0; i < inputSlots.Length; i++)
        {
            var port = context.Ports[i];
            var value = definition.Inputs.TryGetValue(port, out var wired) ? wired : port;
            inputSlots[i] = slots[value];
            if (producers.TryGetValue(value, out var producer))
            {
                dependsOn.Add(producer);
            }
        }

        var outputSlots = new int[step.Outputs.Count];
        for (var o = 0; o < outputSlots.Length; o++)
        {
            var port = step.Outputs[o];
            var value = definition.Outputs.TryGetValue(port.Name, out var wired) ? wired : port.Name;
            if (!values.TryAdd(value, port with { Name = value }))
            {
                throw context.Options.Error($"output '{port.Name}' writes '{value}', which another input or step already produces (wire it to another name)");
            }

            outputSlots[o] = slots[value] = slots.Count;
            producers[value] = index;
        }

        return new LoadedStep(step, inputSlots, outputSlots, [.. dependsOn.Order()], new StepStatistics(definition.Name, definition.Kind));
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(int instance, IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<string> outputNames, RunTimings timings, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var values = new InferenceTensor?[_valueCount];
        foreach (var input in inputs)
        {
            values[_inputSlots.TryGetValue(input.Name, out var slot) ? slot : throw InferenceException.Invalid($"unknown input '{input.Name}'")] = input;
        }

        if (_parallel)
        {
            await RunGraphAsync(values, instance, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            for (var i = 0; i < _steps.Length; i++)
            {
                await RunStepAsync(i, values, instance, cancellationToken).ConfigureAwait(false);
            }
        }

        var result = new InferenceTensor[outputNames.Count];
        for (var o = 0; o < result.Length; o++)
        {
            var name = outputNames[o];
            var value = _outputSlots.TryGetValue(name, out var slot) ? values[slot]! : throw InferenceException.Invalid($"unknown output '{name}'");
            result[o] = value.Name == name ? value : value with { Name = name };
        }

        timings.ComputeInferNs = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds;
        return result;
    }

    private async Task RunGraphAsync(InferenceTensor?[] values, int instance, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new Task[_steps.Length];
        for (var i = 0; i < _steps.Length; i++)
        {
            tasks[i] = RunAfterProducersAsync(i, tasks, values, instance, failed);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Report the step's own error rather than the cancellation it caused in its siblings.
            var first = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
            if (first is not null && !cancellationToken.IsCancellationRequested)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }

            throw;
        }
    }

    private async Task RunAfterProducersAsync(int index, Task[] tasks, InferenceTensor?[] values, int instance, CancellationTokenSource failed)
    {
        foreach (var producer in _steps[index].DependsOn)
        {
            await tasks[producer].ConfigureAwait(false);
        }

        try
        {
            // On the pool, so a CPU-bound step (image decode, tokenizing) does not hold up its sibling branches.
            await Task.Run(() => RunStepAsync(index, values, instance, failed.Token).AsTask(), failed.Token).ConfigureAwait(false);
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask RunStepAsync(int index, InferenceTensor?[] values, int instance, CancellationToken cancellationToken)
    {
        var step = _steps[index];
        var inputs = new InferenceTensor[step.InputSlots.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = values[step.InputSlots[i]] ?? throw new InferenceException(InferenceErrorKind.Internal, $"pipeline step '{step.Statistics.Name}' ran before its inputs were ready");
        }

        var running = Interlocked.Increment(ref _running);
        int seen;
        while (running > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, seen) != seen)
        {
        }

        step.Statistics.Started();
        using var span = InferdTelemetry.Source.StartActivity(_spanNames[index]);
        span?.SetTag(InferdTelemetry.StepKindAttribute, step.Statistics.Kind);
        span?.SetTag(InferdTelemetry.StepPhaseAttribute, _phases[index]);
        var started = Stopwatch.GetTimestamp();
        var ok = false;
        try
        {
            var outputs = await step.Step.RunAsync(inputs, new StepCallContext(instance, new RunTimings()), cancellationToken).ConfigureAwait(false);
            if (outputs.Count != step.OutputSlots.Length)
            {
                throw new InferenceException(InferenceErrorKind.Internal, $"pipeline step '{step.Statistics.Name}' returned {outputs.Count} outputs instead of {step.OutputSlots.Length}");
            }

            for (var o = 0; o < outputs.Count; o++)
            {
                values[step.OutputSlots[o]] = outputs[o];
            }

            ok = true;
        }
        catch (Exception ex) when (ex is not InferenceException and not OperationCanceledException)
        {
            throw new InferenceException(InferenceErrorKind.Internal, $"pipeline step '{step.Statistics.Name}' failed", ex);
        }
        finally
        {
            if (!ok)
            {
                span?.SetStatus(ActivityStatusCode.Error);
            }

            step.Statistics.Finished((long)Stopwatch.GetElapsedTime(started).TotalNanoseconds, ok);
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>
    /// Each step's place for traces: model steps (<c>onnx</c>, <c>model</c>) are inference, steps before the first one
    /// pre-processing, steps after the last one post-processing, steps between two model steps inference too; a
    /// pipeline without a model step is all processing.
    /// </summary>
    private static string[] Phases(LoadedStep[] steps)
    {
        static bool IsModel(LoadedStep s) => s.Statistics.Kind is "onnx" or "model";
        var first = Array.FindIndex(steps, IsModel);
        var last = Array.FindLastIndex(steps, IsModel);
        return steps.Select((_, i) => first < 0 ? "processing" : i < first ? "pre_processing" : i > last ? "post_processing" : "inference").ToArray();
    }

    private static bool HasIndependentSteps(LoadedStep[] steps)
    {
        // Depth of each step in the graph; two steps at the same depth cannot depend on each other.
        var depth = new int[steps.Length];
        var seen = new HashSet<int>();
        for (var i = 0; i < steps.Length; i++)
        {
            depth[i] = steps[i].DependsOn.Length == 0 ? 0 : steps[i].DependsOn.Max(p => depth[p]) + 1;
            if (!seen.Add(depth[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var s in _steps)
        {
            s.Step.Dispose();
        }
    }

    private sealed record LoadedStep(IPipelineStep Step, int[] InputSlots, int[] OutputSlots, int[] DependsOn, StepStatistics Statistics);
}
