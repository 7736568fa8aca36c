using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Monitoring.Alerts;
using Inferd.Monitoring.Tests.Accuracy;
using Inferd.Testing;

namespace Inferd.Monitoring.Tests.Alerts;

public sealed class ErrorRateSignalsTests
{
    [Fact]
    public async Task ReadSignalsAsync_FailedRequestsOnARealFacade_RateOverTheInterval()
    {
        await using var service = await MonitoredService.StartAsync();
        var signals = new ErrorRateSignals(service.Service);
        await InferAsync(service, [1, 1]);
        var first = await signals.ReadSignalsAsync(CancellationToken.None);

        // One good request, three with the wrong shape ([1, 2] for [-1, 1]), which the facade rejects and counts.
        await InferAsync(service, [1, 1]);
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<InferenceException>(() => InferAsync(service, [1, 2]));
        }

        var second = await signals.ReadSignalsAsync(CancellationToken.None);
        var third = await signals.ReadSignalsAsync(CancellationToken.None);

        Assert.Equal(0.0, Value(first, "score", "error_rate"));
        Assert.Equal(1.0, Value(first, "score", "requests"));
        Assert.Equal(0.75, Value(second, "score", "error_rate"));
        Assert.Equal(4.0, Value(second, "score", "requests"));
        Assert.Equal(3.0, Value(second, "score", "errors"));
        Assert.Equal(0.75, Value(second, "score", "error_rate.rejected"));
        Assert.Equal(0.0, Value(second, "score", "error_rate.backend"));
        Assert.Equal(0.0, Value(second, "plain", "error_rate"));
        // Nothing since the previous read: no requests, rate 0 (a firing rule resolves when traffic stops failing).
        Assert.Equal((0.0, 0.0), (Value(third, "score", "error_rate"), Value(third, "score", "requests")));
        Assert.All(second, s => Assert.Equal(("error_rate", "1"), (s.Kind, s.Version)));
    }

    private static double Value(IReadOnlyList<AlertSignal> signals, string model, string name) => signals.Single(s => s.Model == model && s.Name == name).Value;

    private static Task<InferenceResponse> InferAsync(MonitoredService service, long[] shape)
    {
        var data = new byte[shape[0] * shape[1] * 4];
        var request = new InferenceRequest("score", null, null, [new InferenceTensor("INPUT0", DataType.Fp32, shape, data)], [], new Dictionary<string, ParameterValue>());
        return service.Service.InferAsync(request, CancellationToken.None).DefaultTimeout();
    }
}
