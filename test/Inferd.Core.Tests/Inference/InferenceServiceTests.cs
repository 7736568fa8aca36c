using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Testing;

namespace Inferd.Core.Tests.Inference;

public sealed class InferenceServiceTests
{
    private static async Task<(ServiceFixture Fixture, Core.Inference.InferenceService Service)> StartEchoAsync()
    {
        var f = new ServiceFixture(ModelControlMode.None);
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        return (f, await f.StartAsync());
    }

    public static TheoryData<InferenceTensor, string> BadInputs() => new()
    {
        { new InferenceTensor("x", DataType.Int64, [1, 4], new byte[32]), "datatype INT64" },
        { new InferenceTensor("x", DataType.Fp32, [1, 5], new byte[20]), "shape [1,5]" },
        { new InferenceTensor("x", DataType.Fp32, [4], new byte[16]), "shape [4]" },
        { new InferenceTensor("x", DataType.Fp32, [5, 4], new byte[80]), "batch size 5" },
        { new InferenceTensor("x", DataType.Fp32, [0, 4], Array.Empty<byte>()), "batch size 0" },
        { new InferenceTensor("x", DataType.Fp32, [1, 4], new byte[12]), "needs 16 bytes, got 12" },
        { new InferenceTensor("z", DataType.Fp32, [1, 4], new byte[16]), "unexpected input 'z'" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Infer_InvalidInput_ClearInvalidInputError(InferenceTensor input, string expected)
    {
        var (f, service) = await StartEchoAsync();
        await using var _ = f;

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.InferAsync(new InferenceRequest("m", null, null, [input], [], new Dictionary<string, ParameterValue>()), CancellationToken.None)).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(1UL, service.GetStatistics("m", null)[0].InferenceStats.Fail.Count);
    }

    [Fact]
    public async Task Infer_DuplicateInputAndMissingInput_AreRejected()
    {
        var (f, service) = await StartEchoAsync();
        await using var _ = f;
        var x = new InferenceTensor("x", DataType.Fp32, [1, 4], new byte[16]);

        var duplicate = await Assert.ThrowsAsync<InferenceException>(() => service.InferAsync(new InferenceRequest("m", null, null, [x, x], [], new Dictionary<string, ParameterValue>()), CancellationToken.None)).DefaultTimeout();
        var missing = await Assert.ThrowsAsync<InferenceException>(() => service.InferAsync(new InferenceRequest("m", null, null, [], [], new Dictionary<string, ParameterValue>()), CancellationToken.None)).DefaultTimeout();

        Assert.Contains("more than once", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("missing input 'x'", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown", null, InferenceErrorKind.ModelNotFound)]
    [InlineData("m", "7", InferenceErrorKind.ModelNotFound)]
    [InlineData("m", "abc", InferenceErrorKind.InvalidInput)]
    [InlineData("../etc", null, InferenceErrorKind.InvalidInput)]
    public async Task Infer_UnknownModelOrVersion_MapsToTheTaxonomy(string model, string? version, InferenceErrorKind kind)
    {
        var (f, service) = await StartEchoAsync();
        await using var _ = f;

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.InferAsync(ServiceFixture.Request(model, version: version), CancellationToken.None)).DefaultTimeout();

        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public async Task Infer_SharedMemoryOrSequenceParameters_AreRejected()
    {
        var (f, service) = await StartEchoAsync();
        await using var _ = f;

        var shm = await Assert.ThrowsAsync<InferenceException>(() => service.InferAsync(ServiceFixture.Request("m", parameters: ("shared_memory_region", ParameterValue.FromString("r"))), CancellationToken.None)).DefaultTimeout();
        var seq = await Assert.ThrowsAsync<InferenceException>(() => service.InferAsync(ServiceFixture.Request("m", parameters: ("sequence_id", ParameterValue.FromInt64(3))), CancellationToken.None)).DefaultTimeout();

        Assert.Contains("shared memory", shm.Message, StringComparison.Ordinal);
        Assert.Contains("sequence", seq.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_TimeoutParameterExpires_DeadlineExceededAndWorkCancelled()
    {
        await using var f = new ServiceFixture(ModelControlMode.None);
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawCancel = false;
        f.Backend.Run = async (inputs, names, ct) =>
        {
            entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                sawCancel = true;
                throw;
            }

            return inputs;
        };
        var service = await f.StartAsync();

        var call = service.InferAsync(ServiceFixture.Request("m", parameters: ("timeout", ParameterValue.FromInt64(1000))), CancellationToken.None);
        await entered.Task.DefaultTimeout();
        f.Time.Advance(TimeSpan.FromMilliseconds(2));
        var error = await Assert.ThrowsAsync<InferenceException>(() => call).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.DeadlineExceeded, error.Kind);
        Assert.True(sawCancel);
    }

    [Fact]
    public async Task Infer_CallerCancels_CancelledError()
    {
        await using var f = new ServiceFixture(ModelControlMode.None);
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        f.Backend.Run = async (inputs, names, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return inputs;
        };
        var service = await f.StartAsync();
        using var cts = new CancellationTokenSource();

        var call = service.InferAsync(ServiceFixture.Request("m"), cts.Token);
        await cts.CancelAsync();
        var error = await Assert.ThrowsAsync<InferenceException>(() => call).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.Cancelled, error.Kind);
    }

    [Fact]
    public async Task Infer_Classification_TopKWithLabelsPerBatchRow()
    {
        await using var f = new ServiceFixture(ModelControlMode.None);
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        f.Config("m", """{"output": [{"name": "y", "label_filename": "labels.txt"}]}""");
        File.WriteAllLines(Path.Combine(f.Root, "m", "labels.txt"), ["a", "b", "c", "d"]);
        var service = await f.StartAsync();
        float[] values = [1.1f, 3.3f, 0.5f, 2.4f, 9f, 8f, 7f, 6f];
        var data = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);
        var request = new InferenceRequest("m", null, null,
            [new InferenceTensor("x", DataType.Fp32, [2, 4], data)],
            [new RequestedOutput("y", new Dictionary<string, ParameterValue> { ["classification"] = ParameterValue.FromInt64(2) })],
            new Dictionary<string, ParameterValue>());

        var response = await service.InferAsync(request, CancellationToken.None).DefaultTimeout();

        var output = response.Outputs[0];
        Assert.Equal(DataType.Bytes, output.DataType);
        Assert.Equal([2L, 2], output.Shape);
        var strings = BytesTensor.Split(output.Data).Select(m => Encoding.UTF8.GetString(m.Span)).ToArray();
        Assert.Equal(["3.3:1:b", "2.4:3:d", "9:0:a", "8:1:b"], strings);
    }

    [Fact]
    public async Task Statistics_AfterSuccesses_CountsPerBatchSize()
    {
        var (f, service) = await StartEchoAsync();
        await using var _ = f;

        await service.InferAsync(ServiceFixture.Request("m", batch: 1), CancellationToken.None).DefaultTimeout();
        await service.InferAsync(ServiceFixture.Request("m", batch: 3), CancellationToken.None).DefaultTimeout();
        await service.InferAsync(ServiceFixture.Request("m", batch: 3), CancellationToken.None).DefaultTimeout();

        var stats = Assert.Single(service.GetStatistics("m", "1"));
        Assert.Equal(3UL, stats.InferenceStats.Success.Count);
        Assert.Equal(7UL, stats.InferenceCount);
        Assert.Equal(3UL, stats.ExecutionCount);
        Assert.Equal([1UL, 3UL], stats.BatchStats.Select(b => b.BatchSize));
        Assert.Equal(2UL, stats.BatchStats[1].ComputeInfer.Count);
        Assert.True(stats.LastInference > 0);
    }

    [Fact]
    public void ServerMetadata_ListsExactlyTheWorkingExtensions()
    {
        Assert.DoesNotContain("system_shared_memory", Core.Inference.InferenceService.Extensions);
        Assert.DoesNotContain("cuda_shared_memory", Core.Inference.InferenceService.Extensions);
        Assert.DoesNotContain("sequence", Core.Inference.InferenceService.Extensions);
        Assert.Contains("binary_tensor_data", Core.Inference.InferenceService.Extensions);
    }

    [Fact]
    public void Classifier_Int64AboveTwoToThe53_RanksExactly()
    {
        long[] values = [(1L << 53) + 1, (1L << 53) + 2, 5];
        var data = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);

        var top = Core.Inference.Classifier.Apply(new InferenceTensor("y", DataType.Int64, [3], data), 1, null, batched: false);

        Assert.Equal(["9007199254740994:1"], BytesTensor.Split(top.Data).Select(m => Encoding.UTF8.GetString(m.Span)));
    }
}
