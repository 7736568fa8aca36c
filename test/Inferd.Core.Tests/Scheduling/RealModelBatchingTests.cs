using System.Runtime.InteropServices;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Repository;
using Inferd.Core.Tests.Inference;
using Inferd.Testing;
using Inferd.Testing.Fakes;
using Inferd.Testing.Models;

namespace Inferd.Core.Tests.Scheduling;

/// <summary>
/// Dynamic batching through the real ONNX Runtime backend: requests queued behind a held run are merged, run as
/// one batch by ORT, and each gets exactly what it gets when it runs alone.
/// </summary>
public sealed class RealModelBatchingTests
{
    private const string Batching = """{"max_batch_size": 8, "dynamic_batching": {}}""";

    [Fact]
    public async Task Infer_MlpRequestsQueuedBehindABusyInstance_BatchedResultsEqualSoloResults()
    {
        const int Width = 8;
        var backend = new GatedBackend(new OnnxRuntimeBackend());
        await using var f = new ServiceFixture(ModelControlMode.None, backend);
        f.OnnxModel("mlp", TestModels.Mlp(Width, 16, 4, seed: 3), Batching);
        await f.StartAsync();
        var random = new Random(11);
        int[] sizes = [1, 2, 3, 1, 1];
        var requests = sizes.Select(rows => Request("mlp", TestModels.MlpInput, DataType.Fp32, [rows, Width], Bytes(Symmetric(random, rows * Width, 3f)))).ToArray();
        var solo = new List<float[]>();
        foreach (var r in requests)
        {
            solo.Add(Floats(await f.Service!.InferAsync(r, CancellationToken.None).DefaultTimeout()));
        }

        var batched = await RunBatchedAsync(f, backend.Log, requests, Request("mlp", TestModels.MlpInput, DataType.Fp32, [1, Width], new byte[Width * 4]));

        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal([sizes[i], 4L], batched[i].Outputs[0].Shape);
            var got = Floats(batched[i]);
            Assert.Equal(solo[i].Length, got.Length);
            for (var k = 0; k < got.Length; k++)
            {
                Assert.True(Math.Abs(solo[i][k] - got[k]) <= 1e-6, $"request {i} element {k}: batched {got[k]} vs alone {solo[i][k]}");
            }
        }

        var stats = f.Stats("mlp");
        var rows = sizes.Sum();
        Assert.Equal((ulong)(rows + 1 + rows), stats.InferenceCount);
        Assert.Equal((ulong)(requests.Length + 2), stats.ExecutionCount);
        Assert.Contains(stats.BatchStats, b => b.BatchSize == (ulong)rows);
    }

    [Fact]
    public async Task Infer_IdentityRequestsQueued_EachGetsItsOwnRowsBitwise()
    {
        var backend = new GatedBackend(new OnnxRuntimeBackend());
        await using var f = new ServiceFixture(ModelControlMode.None, backend);
        f.OnnxModel("identity", TestModels.Identity(DataType.Fp32, [-1, 4]), Batching);
        await f.StartAsync();
        var random = new Random(5);
        int[] sizes = [3, 1, 2, 1, 1];
        var requests = sizes.Select(rows => Request("identity", TestModels.Input0, DataType.Fp32, [rows, 4], Bytes(Symmetric(random, rows * 4, 1000f)))).ToArray();

        var batched = await RunBatchedAsync(f, backend.Log, requests, Request("identity", TestModels.Input0, DataType.Fp32, [1, 4], new byte[16]));

        for (var i = 0; i < requests.Length; i++)
        {
            var output = Assert.Single(batched[i].Outputs);
            Assert.Equal(requests[i].Inputs[0].Shape, output.Shape);
            Assert.True(requests[i].Inputs[0].Data.Span.SequenceEqual(output.Data.Span), $"request {i} did not get its own rows back");
        }

        var stats = f.Stats("identity");
        Assert.Equal(9UL, stats.InferenceCount);
        Assert.Equal(2UL, stats.ExecutionCount);
        Assert.Equal([1UL, 8UL], stats.BatchStats.Select(b => b.BatchSize));
    }

    [Fact]
    public async Task Infer_StringIdentityRequestsQueued_BytesMergedAndSplitPerRequest()
    {
        var backend = new GatedBackend(new OnnxRuntimeBackend());
        await using var f = new ServiceFixture(ModelControlMode.None, backend);
        f.OnnxModel("strings", TestModels.StringIdentity(), Batching);
        await f.StartAsync();
        string[][] texts = [["alpha", "", "γάμμα"], ["b"], ["", "dd", "eee", "ffff"]];
        var requests = texts.Select(t => Request("strings", TestModels.Input0, DataType.Bytes, [t.Length], BytesTensor.EncodeStrings(t))).ToArray();

        var batched = await RunBatchedAsync(f, backend.Log, requests, Request("strings", TestModels.Input0, DataType.Bytes, [1], BytesTensor.EncodeStrings(["blocker"])));

        for (var i = 0; i < texts.Length; i++)
        {
            var output = Assert.Single(batched[i].Outputs);
            Assert.Equal([(long)texts[i].Length], output.Shape);
            Assert.Equal(texts[i], BytesTensor.Split(output.Data).Select(m => Encoding.UTF8.GetString(m.Span)));
        }

        Assert.Equal([1UL, 8UL], f.Stats("strings").BatchStats.Select(b => b.BatchSize));
    }

    /// <summary>Holds the single instance with <paramref name="blocker"/>, queues the requests, releases, and checks they ran as one batch.</summary>
    private static async Task<InferenceResponse[]> RunBatchedAsync(ServiceFixture f, RunLog log, InferenceRequest[] requests, InferenceRequest blocker)
    {
        log.Hold = true;
        var before = log.Count;
        var first = f.Service!.InferAsync(blocker, CancellationToken.None);
        await log.StartedAsync(before).DefaultTimeout();
        var calls = requests.Select(r => f.Service.InferAsync(r, CancellationToken.None)).ToArray();
        Assert.Equal(requests.Length, f.Scheduler(blocker.ModelName).QueuedCount);
        log.ReleaseAll();
        await first.DefaultTimeout();
        var responses = await Task.WhenAll(calls).DefaultTimeout();
        Assert.Equal(before + 2, log.Count);
        Assert.Equal(requests.Sum(r => r.Inputs[0].Shape[0]), log.Runs[before + 1].Rows);
        return responses;
    }

    private static InferenceRequest Request(string model, string input, DataType type, long[] shape, byte[] data) =>
        new(model, null, null, [new InferenceTensor(input, type, shape, data)], [], new Dictionary<string, ParameterValue>());

    private static float[] Symmetric(Random random, int count, float scale) =>
        Enumerable.Range(0, count).Select(_ => ((random.NextSingle() * 2f) - 1f) * scale).ToArray();

    private static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static float[] Floats(InferenceResponse response) => MemoryMarshal.Cast<byte, float>(Assert.Single(response.Outputs).Data.Span).ToArray();
}
