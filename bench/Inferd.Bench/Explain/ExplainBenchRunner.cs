using System.Diagnostics;
using System.Globalization;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Backends.OnnxRuntime.Baseline;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Inferd.Explain;
using Inferd.Explain.Evaluation;
using Inferd.Explain.Shap;
using Inferd.Processing.Pipelines;
using Inferd.Testing;
using Inferd.Testing.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Bench.Explain;

/// <summary>
/// Exact Kernel SHAP on a 10-feature FP32 MLP (10 → 64 → 1) with a 100-row background, through an
/// <see cref="ExplanationService"/> over the in-process facade (ONNX Runtime behind the pipeline backend, as the
/// server runs it): (2^10 − 1) × 100 = 102,300 perturbed rows in calls of up to 256 rows, plus the explained row.
/// One instance, dynamic batching off: the explainer already sends full batches and nothing else runs. Each timed
/// explanation is followed by the baseline: raw ONNX Runtime (<see cref="RawOrtRunner"/>, the server's thread
/// layout) running the same number of rows in batches of the same sizes, so the ratio is what building rows,
/// the facade and the arithmetic cost over the model itself.
/// </summary>
internal sealed class ExplainBenchRunner(int rounds, int intraOpThreads, TextWriter output)
{
    private const string Model = "mlp10";
    private const int Features = 10;
    private const int Hidden = 64;
    private const int BackgroundRows = 100;
    private const int MaxBatch = 256;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var version = Directory.CreateDirectory(Path.Combine(temp.Path, Model, "1")).FullName;
        var modelFile = Path.Combine(version, "model.onnx");
        File.WriteAllBytes(modelFile, TestModels.Mlp(Features, Hidden, 1, seed: 1));
        File.WriteAllText(Path.Combine(temp.Path, Model, "config.json"), Config(intraOpThreads));
        File.WriteAllText(Path.Combine(temp.Path, Model, "background.jsonl"), Background());

        await using var facade = new InferenceService(
            new ModelRepositoryOptions(temp.Path, ModelControlMode.None, [], TimeSpan.FromMinutes(1), StrictReadiness: true),
            new PipelineBackend(new OnnxRuntimeBackend()),
            new RequestLimits(),
            TimeProvider.System,
            NullLogger<InferenceService>.Instance);
        await facade.StartAsync(cancellationToken);
        using var service = new ExplanationService(facade, new ExplainOptions { RepositoryRoot = temp.Path }, [new KernelShapExplainer()]);
        var request = Request();

        // The explanation's calls: full batches, the rest of the rows, and the explained row itself.
        var rows = ((1L << Features) - 1) * BackgroundRows;
        var sizes = new List<(int Rows, int Runs)> { (MaxBatch, (int)(rows / MaxBatch)) };
        if (rows % MaxBatch != 0)
        {
            sizes.Add(((int)(rows % MaxBatch), 1));
        }

        sizes.Add((1, 1));
        // The server's layout for one instance: every core as an intra-op thread (unless set), spinning on.
        var threads = intraOpThreads > 0 ? intraOpThreads : Environment.ProcessorCount;
        var batches = sizes.Select(b => (Runner: Raw(modelFile, b.Rows, threads), b.Runs)).ToList();
        var calls = sizes.Select(b => (Request: FacadeCall(b.Rows), b.Runs)).ToList();
        try
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Explain: exact kernel_shap, {Features} features (FP32 MLP {Features} → {Hidden} → 1), {BackgroundRows} background rows, max_batch_size {MaxBatch}, dynamic batching off, 1 instance with {threads} intra-op threads, {Environment.ProcessorCount} cores, {rounds} timed rounds after one warm-up"));

            // Warm-up: JIT, the session's first runs, the background file's first read.
            var warm = await service.ExplainAsync(request, cancellationToken);
            RunRaw(batches);
            await RunFacadeAsync(facade, calls, cancellationToken);
            var explain = new List<double>();
            var direct = new List<double>();
            var raw = new List<double>();
            var worstAdditivity = warm.AdditivityError ?? double.NaN;
            for (var round = 0; round < rounds; round++)
            {
                var started = Stopwatch.GetTimestamp();
                var result = await service.ExplainAsync(request, cancellationToken);
                explain.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                worstAdditivity = Math.Max(worstAdditivity, result.AdditivityError ?? double.NaN);
                direct.Add(await RunFacadeAsync(facade, calls, cancellationToken));
                raw.Add(RunRaw(batches));
                warm = result;
            }

            Report(warm, explain, direct, raw, worstAdditivity);
            // Exact mode adds up to rounding; anything more is a bug, not noise.
            if (!(worstAdditivity < 1e-6) || warm.Mode != "exact")
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"inferd-bench: explain: mode {warm.Mode}, additivity error {worstAdditivity:G3} (expected exact, under 1e-6)"));
                return 1;
            }

            return 0;
        }
        catch (InferenceException e)
        {
            Console.Error.WriteLine("inferd-bench: explain: " + e.Message);
            return 1;
        }
        finally
        {
            foreach (var (runner, _) in batches)
            {
                runner.Dispose();
            }
        }
    }

    private void Report(Explanation result, List<double> explain, List<double> direct, List<double> raw, double worstAdditivity)
    {
        var rawMedian = Percentile(raw, 0.5);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Per explanation: {Features} features, {BackgroundRows} background rows, {result.Evaluations:N0} model evaluations in {result.Calls:N0} facade calls."));
        output.WriteLine();
        output.WriteLine("| Run (same rows, same batches) | median ms | p90 ms | µs per row | vs raw ORT |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        Row("exact kernel_shap explanation", explain);
        Row("the same batches sent to the facade, prebuilt", direct);
        Row("raw ONNX Runtime (RawOrtRunner)", raw);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Largest additivity error {worstAdditivity:G3}; base value {result.BaseValue:G6}, prediction {result.Prediction:G6}."));

        void Row(string name, List<double> times)
        {
            var median = Percentile(times, 0.5);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {median:0.0} | {Percentile(times, 0.9):0.0} | {median * 1000 / result.Evaluations:0.00} | {median / rawMedian:0.00}× |"));
        }
    }

    private static async Task<double> RunFacadeAsync(InferenceService facade, List<(InferenceRequest Request, int Runs)> calls, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var (request, runs) in calls)
        {
            for (var r = 0; r < runs; r++)
            {
                await facade.InferAsync(request, cancellationToken);
            }
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double RunRaw(List<(RawOrtRunner Runner, int Runs)> batches)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var (runner, runs) in batches)
        {
            for (var r = 0; r < runs; r++)
            {
                runner.Run();
            }
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static RawOrtRunner Raw(string modelFile, int batch, int threads) =>
        RawOrtRunner.Create(modelFile, threads, disableSpinning: false, (name, type, _) => new InferenceTensor(name, type, [batch, Features], Rows(batch)));

    // As the explainer sends them: background requests for the explained output only.
    private static InferenceRequest FacadeCall(int batch) =>
        new(Model, null, null, [new InferenceTensor(TestModels.MlpInput, DataType.Fp32, [batch, Features], Rows(batch))], [new RequestedOutput(TestModels.MlpOutput, new Dictionary<string, ParameterValue>())], new Dictionary<string, ParameterValue>()) { Background = true };

    private static byte[] Rows(int batch)
    {
        var random = new Random(batch);
        var data = new byte[batch * Features * sizeof(float)];
        for (var i = 0; i < batch * Features; i++)
        {
            CellCodec.Write(DataType.Fp32, data, i, (random.NextDouble() * 4) - 2);
        }

        return data;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
    }

    private static ExplanationRequest Request()
    {
        var data = new byte[Features * sizeof(float)];
        for (var i = 0; i < Features; i++)
        {
            CellCodec.Write(DataType.Fp32, data, i, (i % 5) - 2 + 0.25);
        }

        var row = new InferenceRequest(Model, null, null, [new InferenceTensor(TestModels.MlpInput, DataType.Fp32, [1, Features], data)], [], new Dictionary<string, ParameterValue>());
        return new ExplanationRequest(row) { Method = "kernel_shap", Mode = "exact" };
    }

    private static string Config(int intraOpThreads)
    {
        var parameters = intraOpThreads > 0
            ? " \"parameters\": {\"intra_op_thread_count\": {\"string_value\": \"" + intraOpThreads.ToString(CultureInfo.InvariantCulture) + "\"}},"
            : "";
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {"name": "{{Model}}", "max_batch_size": {{MaxBatch}},{{parameters}}
             "input": [{"name": "{{TestModels.MlpInput}}", "data_type": "TYPE_FP32", "dims": [{{Features}}]}],
             "output": [{"name": "{{TestModels.MlpOutput}}", "data_type": "TYPE_FP32", "dims": [1]}],
             "explain": {"background": {"file": "background.jsonl", "rows": {{BackgroundRows}}
            """) + "}}}";
    }

    private static string Background()
    {
        var random = new Random(7);
        var text = new StringBuilder();
        for (var r = 0; r < BackgroundRows; r++)
        {
            text.Append('[').AppendJoin(',', Enumerable.Range(0, Features).Select(_ => ((random.NextDouble() * 4) - 2).ToString("0.###", CultureInfo.InvariantCulture))).Append("]\n");
        }

        return text.ToString();
    }
}
