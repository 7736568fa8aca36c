using System.Net;
using System.Text.Json;
using Inferd.Cli.Commands;
using Inferd.FunctionalTests.Cli;
using Inferd.Hosting.Monitoring;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>Live accuracy and fairness through a real server: logged requests, feedback, the routes, the CLI, the errors.</summary>
public sealed class EvaluationEndpointTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public async Task Accuracy_FeedbackOnBatchedRequests_HandComputedFigures()
    {
        await using var server = await EvaluationServer.StartAsync();
        await SendTrafficAsync(server);

        var body = await server.GetAsync("/v2/models/score/accuracy");
        var byVersion = await server.GetAsync("/v2/models/score/versions/1/accuracy");
        var cli = await CliRunner.RunAsync("accuracy", "score", "--url", server.Server.Info.HttpAddress.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine(cli.StdOut);

        // Six rows with feedback (r3 has none). Scores and truth: 0.3 F, 0.7 T, 1.1 T, 0.2 T, 0.6 F, 0.4 F.
        // TP 2 (0.7, 1.1), FP 1 (0.6), TN 2 (0.3, 0.4), FN 1 (0.2): accuracy 4/6, precision 2/3, recall 2/3, F1 2/3.
        // AUC: positives 0.7, 1.1, 0.2 against negatives 0.3, 0.6, 0.4: 3 + 3 + 0 wins of 9 = 2/3.
        var version = Assert.Single(body.GetProperty("versions").EnumerateArray());
        Assert.Equal(("score", "binary", "OUTPUT0"), (body.GetProperty("model").GetString(), body.GetProperty("task").GetString(), body.GetProperty("output").GetString()));
        Assert.Equal(("1", 2, 6, 0), (version.GetProperty("version").GetString(), version.GetProperty("records").GetInt32(), version.GetProperty("rows").GetInt32(), version.GetProperty("skipped").GetInt32()));
        var metrics = version.GetProperty("metrics");
        Assert.Equal(4.0 / 6, metrics.GetProperty("accuracy").GetDouble(), Tolerance);
        Assert.Equal(2.0 / 3, metrics.GetProperty("precision").GetDouble(), Tolerance);
        Assert.Equal(2.0 / 3, metrics.GetProperty("recall").GetDouble(), Tolerance);
        Assert.Equal(2.0 / 3, metrics.GetProperty("f1").GetDouble(), Tolerance);
        Assert.Equal(2.0 / 3, metrics.GetProperty("auc").GetDouble(), Tolerance);
        Assert.Equal(version.GetProperty("metrics").GetRawText(), byVersion.GetProperty("versions")[0].GetProperty("metrics").GetRawText());
        Assert.Equal((0, ""), (cli.ExitCode, cli.StdErr));
        Assert.Equal(AccuracyCommand.Format(body), cli.StdOut);
        Assert.Contains("0.6667", cli.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fairness_LoggedTraffic_HandComputedFigures()
    {
        await using var server = await EvaluationServer.StartAsync();
        await SendTrafficAsync(server);

        var body = await server.GetAsync("/v2/models/score/fairness");
        var cli = await CliRunner.RunAsync("fairness", "score", "--url", server.Server.Info.HttpAddress.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine(cli.StdOut);

        // Group 0 (privileged): 0.3 N, 0.7 P, 0.6 P -> rate 2/3; truth F, T, F -> TPR 1/1.
        // Group 1: 1.1 P, 0.2 N, 0.4 N, 1.9 P (no feedback) -> rate 2/4; truth T, T, F -> TPR 1/2.
        // DPD = 2/3 - 1/2 = 1/6; DIR = (1/2) / (2/3) = 3/4; EOD = 1 - 1/2 = 1/2.
        Assert.Equal(("INPUT1", "0", "OUTPUT0 >= 0.5"), (body.GetProperty("attribute").GetString(), body.GetProperty("privileged").GetString(), body.GetProperty("positive").GetString()));
        var version = Assert.Single(body.GetProperty("versions").EnumerateArray());
        var groups = version.GetProperty("groups").EnumerateArray().ToArray();
        Assert.Equal(["0", "1"], groups.Select(g => g.GetProperty("group").GetString()));
        Assert.Equal(2.0 / 3, groups[0].GetProperty("positive_rate").GetDouble(), Tolerance);
        Assert.Equal(0.5, groups[1].GetProperty("positive_rate").GetDouble(), Tolerance);
        Assert.Equal(1.0, groups[0].GetProperty("true_positive_rate").GetDouble(), Tolerance);
        Assert.Equal(0.5, groups[1].GetProperty("true_positive_rate").GetDouble(), Tolerance);
        Assert.Equal((7, 6, "0"), (version.GetProperty("rows").GetInt32(), version.GetProperty("rows_with_truth").GetInt32(), version.GetProperty("reference_group").GetString()));
        Assert.Equal(1.0 / 6, version.GetProperty("demographic_parity_difference").GetDouble(), Tolerance);
        Assert.Equal(0.75, version.GetProperty("disparate_impact_ratio").GetDouble(), Tolerance);
        Assert.Equal(0.5, version.GetProperty("equal_opportunity_difference").GetDouble(), Tolerance);
        Assert.Equal((0, ""), (cli.ExitCode, cli.StdErr));
        Assert.Equal(FairnessCommand.Format(body), cli.StdOut);
    }

    [Fact]
    public async Task Routes_ModelWithoutSectionUnknownModelOrWrongVerb_ClearErrors()
    {
        await using var server = await EvaluationServer.StartAsync();

        RestHelpers.AssertError(await Get(server, "/v2/models/plain/accuracy"), HttpStatusCode.NotFound, "model 'plain' has no monitoring.task section in its config.json");
        RestHelpers.AssertError(await Get(server, "/v2/models/plain/fairness"), HttpStatusCode.NotFound, "model 'plain' has no monitoring.fairness section in its config.json");
        RestHelpers.AssertError(await Get(server, "/v2/models/nope/accuracy"), HttpStatusCode.NotFound, "nope");
        RestHelpers.AssertError(await Get(server, "/v2/models/score/versions/7/fairness"), HttpStatusCode.NotFound);
        RestHelpers.AssertError(await RestHelpers.SendAsync(server.Server, RestHelpers.Json("/v2/models/score/accuracy", "{}")), HttpStatusCode.MethodNotAllowed, "method not allowed");
        RestHelpers.AssertError(await Get(server, "/v2/alerts"), HttpStatusCode.NotFound, EvaluationEndpoints.AlertsOffMessage);
        // With no traffic the figures are empty, not an error.
        var empty = (await server.GetAsync("/v2/models/score/accuracy")).GetProperty("versions")[0];
        Assert.Equal((0, "{}"), (empty.GetProperty("rows").GetInt32(), empty.GetProperty("metrics").GetRawText()));
        Assert.Empty(server.Server.Errors);
    }

    [Fact]
    public async Task Routes_LogOff_ConflictSayingHowToTurnItOn()
    {
        await using var server = await EvaluationServer.StartAsync(log: false);

        foreach (var route in new[] { "/v2/models/score/accuracy", "/v2/models/score/fairness", "/v2/models/score/versions/1/fairness" })
        {
            RestHelpers.AssertError(await Get(server, route), HttpStatusCode.Conflict, "start the server with --prediction-log");
        }

        var cli = await CliRunner.RunAsync("fairness", "score", "--url", server.Server.Info.HttpAddress.ToString());
        Assert.Equal(1, cli.ExitCode);
        Assert.Equal("inferd: error (HTTP 409): " + EvaluationEndpoints.LogOffMessage, cli.StdErr.Trim());
    }

    /// <summary>Three requests to <c>score</c>, two of them batched, with feedback for the first two.</summary>
    private static async Task SendTrafficAsync(EvaluationServer server)
    {
        await server.InferAsync("r1", (0.3f, 0), (0.7f, 0), (0.1f, 1), (-0.8f, 1));
        await server.InferAsync("r2", (0.6f, 0), (-0.6f, 1));
        await server.InferAsync("r3", (0.9f, 1));
        await server.FeedbackAsync("score", "r1", "[0, 1, 1, 1]");
        await server.FeedbackAsync("score", "r2", "[false, false]");
    }

    private static Task<(HttpStatusCode Status, string Body, string? ContentType)> Get(EvaluationServer server, string path) =>
        RestHelpers.SendAsync(server.Server, new HttpRequestMessage(HttpMethod.Get, path));
}
