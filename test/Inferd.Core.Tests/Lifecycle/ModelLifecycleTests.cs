using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Core.Tests.Inference;
using Inferd.Testing;

namespace Inferd.Core.Tests.Lifecycle;

public sealed class ModelLifecycleTests
{
    private static readonly Dictionary<string, ParameterValue> NoParameters = [];

    [Fact]
    public async Task Start_NoneMode_LoadsEveryModelAndIsReady()
    {
        await using var f = new ServiceFixture(ModelControlMode.None);
        f.Model("a", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        f.Model("b", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);

        var service = await f.StartAsync();

        Assert.True(service.IsReady);
        Assert.True(service.IsModelReady("a", null));
        Assert.True(service.IsModelReady("b", "1"));
        Assert.All(service.GetRepositoryIndex(false), row => Assert.Equal(ModelState.Ready, row.State));
    }

    [Fact]
    public async Task Start_BrokenModelWithStrictReadiness_ServerNotReadyButOthersServe()
    {
        await using var f = new ServiceFixture(ModelControlMode.None);
        f.Model("good", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        f.Model("bad", 1, "fail");

        var service = await f.StartAsync();

        Assert.False(service.IsReady);
        Assert.True(service.IsModelReady("good", null));
        var bad = Assert.Single(service.GetRepositoryIndex(false), r => r.Name == "bad");
        Assert.Equal("UNAVAILABLE", bad.StateName);
        Assert.Contains("fake failure", bad.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionPolicy_Latest2_ServesTwoNewestAndPicksHighestByDefault()
    {
        await using var f = new ServiceFixture(ModelControlMode.None);
        foreach (var v in new long[] { 1, 2, 3 })
        {
            f.Model("m", v, ServiceFixture.Echo, ServiceFixture.EchoOut);
        }

        f.Config("m", """{"version_policy": {"latest": {"num_versions": 2}}}""");
        var service = await f.StartAsync();

        Assert.Equal(["3", "2"], service.GetModelMetadata("m", null).Versions);
        var response = await service.InferAsync(ServiceFixture.Request("m"), CancellationToken.None).DefaultTimeout();
        Assert.Equal("3", response.ModelVersion);
        var error = Assert.Throws<InferenceException>(() => service.GetModelMetadata("m", "1"));
        Assert.Equal(InferenceErrorKind.ModelNotFound, error.Kind);
    }

    [Fact]
    public async Task Reload_DuringInference_InFlightFinishesOnOldVersionThenOldIsDisposed()
    {
        await using var f = new ServiceFixture();
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        f.BlockRuns(out var entered, out var proceed);
        var service = await f.StartAsync("m");
        f.Backend.Loaded.TryPeek(out var first);

        var inFlight = service.InferAsync(ServiceFixture.Request("m"), CancellationToken.None);
        await entered.Task.DefaultTimeout();
        f.Backend.Run = null;
        await service.LoadModelAsync("m", NoParameters, CancellationToken.None).DefaultTimeout();

        Assert.False(first!.IsDisposed);
        var afterReload = await service.InferAsync(ServiceFixture.Request("m"), CancellationToken.None).DefaultTimeout();
        Assert.Equal("1", afterReload.ModelVersion);
        proceed.SetResult();
        var old = await inFlight.DefaultTimeout();
        Assert.Equal("y", old.Outputs[0].Name);
        Assert.True(first.IsDisposed);
        Assert.Equal(2, f.Backend.Loaded.Count);
    }

    [Fact]
    public async Task Reload_NewVersionFailsToLoad_OldVersionKeepsServing()
    {
        await using var f = new ServiceFixture();
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        var service = await f.StartAsync("m");
        f.Model("m", 2, "fail");

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.LoadModelAsync("m", NoParameters, CancellationToken.None)).DefaultTimeout();

        Assert.Contains("fake failure", error.Message, StringComparison.Ordinal);
        Assert.True(service.IsModelReady("m", "1"));
        var response = await service.InferAsync(ServiceFixture.Request("m"), CancellationToken.None).DefaultTimeout();
        Assert.Equal("1", response.ModelVersion);
        var rows = service.GetRepositoryIndex(false);
        Assert.Contains(rows, r => r is { Version: "1", State: ModelState.Ready });
        Assert.Contains(rows, r => r is { Version: "2", State: ModelState.Unavailable } && r.Reason.Contains("fake failure", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unload_WithRequestInFlight_ReleasesOnlyAfterItFinishes()
    {
        await using var f = new ServiceFixture();
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        f.BlockRuns(out var entered, out var proceed);
        var service = await f.StartAsync("m");
        f.Backend.Loaded.TryPeek(out var model);

        var inFlight = service.InferAsync(ServiceFixture.Request("m"), CancellationToken.None);
        await entered.Task.DefaultTimeout();
        await service.UnloadModelAsync("m", NoParameters, CancellationToken.None).DefaultTimeout();

        Assert.False(service.IsModelReady("m", null));
        Assert.Contains(service.GetRepositoryIndex(false), r => r is { Name: "m", State: ModelState.Unloading });
        var late = await Assert.ThrowsAsync<InferenceException>(() => service.InferAsync(ServiceFixture.Request("m"), CancellationToken.None)).DefaultTimeout();
        Assert.Equal(InferenceErrorKind.ModelNotReady, late.Kind);
        Assert.False(model!.IsDisposed);
        proceed.SetResult();
        await inFlight.DefaultTimeout();
        Assert.True(model.IsDisposed);
        Assert.Contains(service.GetRepositoryIndex(false), r => r is { Name: "m", State: ModelState.Unavailable, Reason: "unloaded" });
    }

    [Fact]
    public async Task LoadModel_NoneMode_IsForbidden()
    {
        await using var f = new ServiceFixture(ModelControlMode.None);
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        var service = await f.StartAsync();

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.LoadModelAsync("m", NoParameters, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.Forbidden, error.Kind);
    }

    [Theory]
    [InlineData("file:1/model.onnx")]
    [InlineData("file:../../../home/victim/.bashrc")]
    public async Task LoadModel_FileParameter_IsRefusedAndWritesNothing(string key)
    {
        await using var f = new ServiceFixture();
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        var service = await f.StartAsync();
        var before = Directory.GetFileSystemEntries(f.Root, "*", SearchOption.AllDirectories).Length;

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.LoadModelAsync("m", new Dictionary<string, ParameterValue> { [key] = ParameterValue.FromString("AAAA") }, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Equal(before, Directory.GetFileSystemEntries(f.Root, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task LoadModel_ConfigOverride_ReplacesDiskConfig()
    {
        await using var f = new ServiceFixture();
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        var service = await f.StartAsync("m");

        await service.LoadModelAsync("m", new Dictionary<string, ParameterValue> { ["config"] = ParameterValue.FromString("""{"max_batch_size": 2}""") }, CancellationToken.None).DefaultTimeout();

        Assert.Equal(2, service.GetModelConfig("m", null).MaxBatchSize);
    }

    [Fact]
    public async Task Poll_NewVersionAppears_IsLoadedAndServed()
    {
        await using var f = new ServiceFixture(ModelControlMode.Poll);
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        var service = await f.StartAsync();

        f.Model("m", 2, ServiceFixture.Echo, ServiceFixture.EchoOut);
        await service.PollNowAsync(CancellationToken.None).DefaultTimeout();

        Assert.Equal(["2"], service.GetModelMetadata("m", null).Versions);
    }

    [Fact]
    public async Task Poll_ModelFolderRemoved_IsUnloaded()
    {
        await using var f = new ServiceFixture(ModelControlMode.Poll);
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        f.Model("keep", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        var service = await f.StartAsync();

        Directory.Delete(Path.Combine(f.Root, "m"), recursive: true);
        await service.PollNowAsync(CancellationToken.None).DefaultTimeout();

        Assert.False(service.IsModelReady("m", null));
        Assert.True(service.IsModelReady("keep", null));
        Assert.True(service.IsReady);
    }
}
