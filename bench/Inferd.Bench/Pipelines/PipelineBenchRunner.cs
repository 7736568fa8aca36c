using System.Diagnostics;
using System.Globalization;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Repository;
using Inferd.Processing.Pipelines;
using Inferd.Testing;
using Inferd.Testing.Models;

namespace Inferd.Bench.Pipelines;

/// <summary>
/// Runs each case sequentially on one thread of control and reports allocated bytes per request (all threads,
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/>) and p50 latency. The floor is the same ONNX file run directly on
/// the backend (ONNX Runtime with Inferd's marshalling), measured in the same run.
/// Cases:
/// <list type="bullet">
/// <item>copy check: a 256 KiB FP32 row through an Identity file alone, in a one-step pipeline, and in a pipeline
/// that adds five <c>flatten</c> steps: if steps copied, each would add 256 KiB per request;</item>
/// <item>parallel branches: two MLPs (512 → 2048 → 512, 8 rows, one intra-op thread each) reading the same input, against
/// the same two MLPs in a chain.</item>
/// </list>
/// </summary>
internal sealed class PipelineBenchRunner(int runs, TextWriter output)
{
    private const int Wide = 65_536;

    // Big enough (2 × 512·2048 multiply-adds per row, 8 rows) that a branch costs milliseconds, not the
    // microseconds of task scheduling, so running two at once can show on two cores.
    private const int Features = 512;
    private const int Rows = 8;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var version = Directory.CreateDirectory(Path.Combine(temp.Path, "p", "1")).FullName;
        File.WriteAllBytes(Path.Combine(version, "identity.onnx"), TestModels.Identity(DataType.Fp32, [-1, Wide]));
        File.WriteAllBytes(Path.Combine(version, "a.onnx"), TestModels.Mlp(Features, 2048, Features, seed: 1));
        File.WriteAllBytes(Path.Combine(version, "b.onnx"), TestModels.Mlp(Features, 2048, Features, seed: 2));
        var backend = new PipelineBackend(new OnnxRuntimeBackend());
        var wideInput = Input("INPUT0", Wide, 1);
        var mlpInput = Input("X", Features, Rows);

        output.WriteLine($"Pipeline overhead: {runs:N0} sequential runs per case, {Environment.ProcessorCount} cores");
        output.WriteLine();
        output.WriteLine("| Case | Allocated B/request | p50 µs | vs files alone |");
        output.WriteLine("|---|---:|---:|---:|");

        using var identity = await LoadAsync(backend, version, null, "identity.onnx", cancellationToken);
        var floor = await MeasureAsync(identity, wideInput, ["OUTPUT0"], cancellationToken);
        Row("Identity file alone (256 KiB row)", floor, floor);
        using var one = await LoadAsync(backend, version, Pipeline("INPUT0", Wide, """{"kind": "onnx", "options": {"file": "identity.onnx"}}""", "OUTPUT0"), null, cancellationToken);
        var oneStep = await MeasureAsync(one, wideInput, ["OUTPUT0"], cancellationToken);
        Row("pipeline: onnx", oneStep, floor);
        var flattens = string.Join(", ", Enumerable.Range(0, 5).Select(i =>
            "{\"name\": \"f" + i + "\", \"kind\": \"flatten\", \"inputs\": {\"x\": \"" + (i == 0 ? "OUTPUT0" : "v" + (i - 1)) + "\"}, \"outputs\": {\"flat\": \"v" + i + "\"}}"));
        using var six = await LoadAsync(backend, version, Pipeline("INPUT0", Wide, """{"kind": "onnx", "options": {"file": "identity.onnx"}}, """ + flattens, "v4"), null, cancellationToken);
        var sixSteps = await MeasureAsync(six, wideInput, ["v4"], cancellationToken);
        Row("pipeline: onnx + 5 × flatten", sixSteps, floor);
        var perStep = (sixSteps.AllocatedPerRun - oneStep.AllocatedPerRun) / 5;
        output.WriteLine();
        output.WriteLine($"Each extra step allocates {perStep:N0} B per request; a copy of the row would be {Wide * 4:N0} B.");
        output.WriteLine();

        output.WriteLine("| Case | Allocated B/request | p50 µs | vs files alone |");
        output.WriteLine("|---|---:|---:|---:|");
        // The floor for two steps is both files run directly one after the other: the two weight sets (8 MiB each)
        // then compete for the cache exactly as they do inside the pipeline.
        using var mlpA = await LoadAsync(backend, version, null, "a.onnx", cancellationToken);
        using var mlpB = await LoadAsync(backend, version, null, "b.onnx", cancellationToken);
        var timings = new RunTimings();
        var mlpFloor = await MeasureAsync(async () =>
        {
            await mlpA.RunAsync(0, [mlpInput], ["Y"], timings, cancellationToken);
            await mlpB.RunAsync(0, [mlpInput], ["Y"], timings, cancellationToken);
        });
        Row("MLP a, then MLP b, files run directly (8 rows)", mlpFloor, mlpFloor);
        using var chain = await LoadAsync(backend, version, Pipeline("X", Features, """
            {"name": "a", "kind": "onnx", "outputs": {"Y": "h"}, "options": {"file": "a.onnx"}},
            {"name": "b", "kind": "onnx", "inputs": {"X": "h"}, "outputs": {"Y": "out"}, "options": {"file": "b.onnx"}}
            """, "out"), null, cancellationToken);
        var chained = await MeasureAsync(chain, mlpInput, ["out"], cancellationToken);
        Row("pipeline: MLP a → MLP b (chain)", chained, mlpFloor);
        using var fork = await LoadAsync(backend, version, Pipeline("X", Features, """
            {"name": "a", "kind": "onnx", "outputs": {"Y": "left"}, "options": {"file": "a.onnx"}},
            {"name": "b", "kind": "onnx", "outputs": {"Y": "right"}, "options": {"file": "b.onnx"}}
            """, "left\", \"right"), null, cancellationToken);
        var forked = await MeasureAsync(fork, mlpInput, ["left", "right"], cancellationToken);
        Row("pipeline: MLP a ‖ MLP b (two branches)", forked, mlpFloor);
        output.WriteLine();
        output.WriteLine($"Two branches take {forked.P50Us / chained.P50Us:0.00}× the time of the same two steps in a chain.");
        return 0;
    }

    private void Row(string name, Measurement m, Measurement floor) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {m.AllocatedPerRun:N0} | {m.P50Us:0.0} | {m.P50Us / floor.P50Us:0.00}× |"));

    private static string Pipeline(string input, int width, string steps, string outputs) =>
        "{\"max_batch_size\": 8, \"parameters\": {\"intra_op_thread_count\": {\"string_value\": \"1\"}}, \"pipeline\": {\"inputs\": [{\"name\": \""
        + input + "\", \"data_type\": \"TYPE_FP32\", \"dims\": [" + width.ToString(CultureInfo.InvariantCulture) + "]}], \"steps\": [" + steps + "], \"outputs\": [\"" + outputs + "\"]}}";

    private static async Task<ILoadedModel> LoadAsync(PipelineBackend backend, string version, string? pipelineConfig, string? file, CancellationToken cancellationToken)
    {
        var config = pipelineConfig is null
            ? new ModelConfig { Name = "p", Parameters = new Dictionary<string, string> { ["intra_op_thread_count"] = "1" }, DefaultModelFilename = file! }
            : ModelConfigJson.Read(pipelineConfig, "p").Config;
        var path = pipelineConfig is null ? Path.Combine(version, file!) : version;
        return await backend.LoadAsync(new ModelLoadContext("p", "1", path, config), cancellationToken);
    }

    private Task<Measurement> MeasureAsync(ILoadedModel model, InferenceTensor input, string[] outputs, CancellationToken cancellationToken)
    {
        var timings = new RunTimings();
        return MeasureAsync(async () => await model.RunAsync(0, [input], outputs, timings, cancellationToken));
    }

    private async Task<Measurement> MeasureAsync(Func<Task> run)
    {
        for (var i = 0; i < Math.Min(50, runs); i++)
        {
            await run();
        }

        var latencies = new double[runs];
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await run();
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Array.Sort(latencies);
        return new Measurement(allocated / runs, latencies[runs / 2]);
    }

    private static InferenceTensor Input(string name, int width, int rows)
    {
        var data = new byte[width * rows * sizeof(float)];
        new Random(5).NextBytes(data);
        // Keep the values finite: random bytes can spell NaN, which is harmless but noisy to look at.
        var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.AsSpan());
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = (i % 17) / 17f;
        }

        return new InferenceTensor(name, DataType.Fp32, [rows, width], data);
    }

    private readonly record struct Measurement(long AllocatedPerRun, double P50Us);
}
