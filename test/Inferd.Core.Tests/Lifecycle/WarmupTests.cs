using System.Collections.Concurrent;
using Inferd.Abstractions.Inference;
using Inferd.Core.Repository;
using Inferd.Core.Tests.Inference;
using Inferd.Testing;

namespace Inferd.Core.Tests.Lifecycle;

public sealed class WarmupTests
{
    private const string WarmupConfig = """
        {"max_batch_size": 8, "dynamic_batching": {"preferred_batch_size": [4, 8]},
         "model_warmup": [{"name": "zeros", "batch_size": 2, "count": 1,
                           "inputs": {"x": {"data_type": "TYPE_FP32", "dims": [4], "zero_data": true}}}]}
        """;

    private static readonly Dictionary<string, ParameterValue> NoParameters = [];

    [Fact]
    public async Task Load_WarmupRunBlocked_ModelNotReadyUntilWarmupFinishes()
    {
        await using var f = new ServiceFixture(ModelControlMode.Explicit);
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        f.Config("m", WarmupConfig);
        f.BlockRuns(out var entered, out var proceed);
        var service = await f.StartAsync();

        var load = service.LoadModelAsync("m", NoParameters, CancellationToken.None);
        await entered.Task.DefaultTimeout();

        Assert.False(service.IsModelReady("m", null));
        proceed.SetResult();
        await load.DefaultTimeout();
        Assert.True(service.IsModelReady("m", null));
    }

    [Fact]
    public async Task Load_WarmupSample_RunsAtItsBatchSizeAndEveryPreferredSizeWithZeros()
    {
        await using var f = new ServiceFixture(ModelControlMode.None);
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        f.Config("m", WarmupConfig);
        var shapes = new ConcurrentQueue<long[]>();
        f.Backend.Run = (inputs, names, _) =>
        {
            shapes.Enqueue(inputs[0].Shape);
            Assert.All(inputs[0].Data.ToArray(), b => Assert.Equal(0, b));
            return Task.FromResult<IReadOnlyList<Abstractions.Tensors.InferenceTensor>>([inputs[0] with { Name = names[0] }]);
        };

        var service = await f.StartAsync();

        Assert.True(service.IsModelReady("m", null));
        Assert.Equal([2L, 4L, 8L], shapes.Select(s => s[0]).Order().ToArray());
        Assert.All(shapes, s => Assert.Equal(4, s[1]));
        var stats = Assert.Single(service.GetStatistics("m", "1"));
        Assert.Equal(3UL, stats.ExecutionCount);
    }

    [Fact]
    public async Task Load_WarmupFileMissing_LoadFailsWithReasonNamingTheFile()
    {
        await using var f = new ServiceFixture(ModelControlMode.None);
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        f.Config("m", """
            {"max_batch_size": 8,
             "model_warmup": [{"name": "sample", "batch_size": 1,
                               "inputs": {"x": {"data_type": "TYPE_FP32", "dims": [4], "input_data_file": "x.bin"}}}]}
            """);

        var service = await f.StartAsync();

        Assert.False(service.IsModelReady("m", null));
        var row = Assert.Single(service.GetRepositoryIndex(false));
        Assert.Contains("warmup/x.bin", row.Reason, StringComparison.Ordinal);
        Assert.True(f.Backend.Loaded.TryPeek(out var model));
        Assert.True(model.IsDisposed);
    }

    [Fact]
    public async Task Load_WarmupFileWithOneRow_RepeatsItForEveryRow()
    {
        await using var f = new ServiceFixture(ModelControlMode.None);
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        f.Config("m", """
            {"max_batch_size": 8,
             "model_warmup": [{"name": "sample", "batch_size": 3,
                               "inputs": {"x": {"data_type": "TYPE_FP32", "dims": [4], "input_data_file": "x.bin"}}}]}
            """);
        var row = new byte[16];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = (byte)(i + 1);
        }

        Directory.CreateDirectory(Path.Combine(f.Root, "m", "1", "warmup"));
        File.WriteAllBytes(Path.Combine(f.Root, "m", "1", "warmup", "x.bin"), row);
        byte[]? seen = null;
        f.Backend.Run = (inputs, names, _) =>
        {
            seen = inputs[0].Data.ToArray();
            return Task.FromResult<IReadOnlyList<Abstractions.Tensors.InferenceTensor>>([inputs[0] with { Name = names[0] }]);
        };

        var service = await f.StartAsync();

        Assert.True(service.IsModelReady("m", null));
        Assert.Equal([.. row, .. row, .. row], seen!);
    }
}
