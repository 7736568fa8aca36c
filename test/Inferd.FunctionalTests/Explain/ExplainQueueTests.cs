using System.Net;
using System.Text;
using Inferd.Core.Inference;
using Inferd.Explain;
using Inferd.Testing;
using Inferd.Testing.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Inferd.FunctionalTests.Explain;

/// <summary>
/// The explanation queue: one explanation at a time and none waiting (<c>--explain-concurrency 1 --explain-queue 0</c>).
/// While a long exact explanation runs, predictions of the same model are answered, another explanation is refused
/// with 503, and cancelling the long one stops its work.
/// </summary>
public sealed class ExplainQueueTests
{
    private const string LongExplanation = """
        {"inputs": [{"name": "X", "datatype": "FP32", "shape": [1, 12], "data": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.5, 0.5]}],
         "explain": {"method": "kernel_shap", "mode": "exact"}}
        """;

    private const string Prediction = """
        {"inputs": [{"name": "X", "datatype": "FP32", "shape": [1, 12], "data": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.5, 0.5]}]}
        """;

    [Fact]
    public async Task Explain_WhileALongExplanationRuns_PredictionsAnsweredSecondExplanation503AndCancelStopsIt()
    {
        using var repository = new TempDirectory();
        ExplainServer.WriteRepository(repository.Path);
        await using var server = await InferdTestServer.StartAsync(
            repository: repository.Path,
            configure: o => o with { Explain = new ExplainOptions { MaxConcurrent = 1, MaxQueued = 0 } });
        var explanations = server.Services.GetRequiredService<ExplanationService>();
        var facade = server.Services.GetRequiredService<IInferenceService>();
        using var cancel = new CancellationTokenSource();

        var running = server.Http.SendAsync(RestHelpers.Json("/v2/models/mlp12/explain", LongExplanation), cancel.Token);
        // The explanation is under way once the model has run some of its background rows.
        await WaitUntilAsync(() => Executions(facade) > 10 || running.IsCompleted);
        Assert.False(running.IsCompleted, running.IsCompleted ? "the explanation ended early: " + await Describe(running) : "");

        var predicted = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/mlp12/infer", Prediction));
        var refused = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/mlp12/explain", LongExplanation));
        var stillRunning = explanations.Pending;

        Assert.True(predicted.Status == HttpStatusCode.OK, $"prediction during the explanation: {(int)predicted.Status} {predicted.Body}");
        RestHelpers.AssertError(refused, HttpStatusCode.ServiceUnavailable, "explanation queue is full");
        Assert.True(stillRunning == 1, $"explanations pending after the prediction: {stillRunning}; the long one {(running.IsCompleted ? "had ended: " + await Describe(running) : "was running")}");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running).DefaultTimeout();
        await WaitUntilAsync(() => explanations.Pending == 0);
        var stopped = Executions(facade);
        Assert.True(stopped < 819_000UL / 8, $"the cancelled explanation ran {stopped} calls, as many as the whole plan");
        await ExplainServer.AssertStillServesAsync(server);
    }

    private static async Task<string> Describe(Task<HttpResponseMessage> ended)
    {
        try
        {
            var response = await ended;
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private static ulong Executions(IInferenceService facade) => facade.GetStatistics("mlp12", null).Aggregate(0UL, (sum, s) => sum + s.ExecutionCount);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
