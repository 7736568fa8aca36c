using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inferd.Cli.Commands;
using Inferd.FunctionalTests.Cli;
using Inferd.FunctionalTests.Predict;
using Inferd.FunctionalTests.Zoo;
using Inferd.Monitoring;
using Inferd.Monitoring.Accuracy;
using Inferd.Monitoring.Fairness;
using Inferd.Testing;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>
/// Fairness of the zoo's <c>wages</c> model (CPS 1985) over real served traffic: every held-out row is sent through
/// <c>:predict</c>, its true wage posted as feedback, and the server's figures compared with
/// <see cref="FairnessCalculator"/> on the same rows. Needs the zoo built with the monitoring section
/// (<c>./inferd zoo build</c>); skips otherwise.
/// </summary>
public sealed class FairnessWagesTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public async Task Fairness_WagesHeldoutWithFeedback_EqualsTheCalculatorOnTheSameRows()
    {
        var (threshold, attribute, privileged) = ReadMonitoring();
        using var folder = new TempDirectory();
        var repository = Path.Combine(folder.Path, "models");
        Copy(Path.Combine(ZooServer.Repository, "wages"), Path.Combine(repository, "wages"));
        await using var server = await InferdTestServer.StartAsync(
            repository: repository,
            configure: o => o with { Monitoring = new MonitoringOptions { PredictionLog = Path.Combine(folder.Path, "predictions.db"), PredictionLogMode = PredictionLogMode.Durable } });

        // Act: each held-out row as its own request, then its true wage as feedback for the id the server gave it.
        var rows = new List<FairnessRow>();
        var errors = new List<RegressionRow>();
        foreach (var line in File.ReadLines(Path.Combine(ZooServer.Repository, "wages", "heldout.jsonl")).Where(l => l.Length > 0))
        {
            var row = JsonNode.Parse(line)!.AsObject();
            var truth = row["label"]!.GetValue<double>();
            var group = row[attribute]!.GetValue<string>();
            row.Remove("expected");
            row.Remove("label");
            var (wage, id) = await PredictAsync(server, row);
            var feedback = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/wages/feedback", "{\"request_id\": \"" + id + "\", \"truth\": " + truth.ToString("R", CultureInfo.InvariantCulture) + "}"));
            Assert.True(feedback.Status == HttpStatusCode.OK, feedback.Body);
            rows.Add(new FairnessRow(group, wage >= threshold, truth >= threshold));
            errors.Add(new RegressionRow(wage, truth));
        }

        var fairness = await GetAsync(server, "/v2/models/wages/fairness");
        var accuracy = await GetAsync(server, "/v2/models/wages/accuracy");
        var cli = await CliRunner.RunAsync("fairness", "wages", "--url", server.Info.HttpAddress.ToString());
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"wages: {rows.Count} held-out rows, positive = wage >= {threshold} (the training median)");
        output?.WriteLine(cli.StdOut);
        output?.WriteLine(AccuracyCommand.Format(accuracy));

        // Assert: the server's figures are the calculator's on the rows the test sent and saw answered.
        var expected = FairnessCalculator.Compute(rows, privileged);
        var version = Assert.Single(fairness.GetProperty("versions").EnumerateArray());
        Assert.Equal((rows.Count, rows.Count, 0), (version.GetProperty("rows").GetInt32(), version.GetProperty("rows_with_truth").GetInt32(), version.GetProperty("skipped").GetInt32()));
        var groups = version.GetProperty("groups").EnumerateArray().ToArray();
        Assert.Equal(expected.Groups.Select(g => g.Group), groups.Select(g => g.GetProperty("group").GetString()));
        Assert.Equal(["female", "male"], groups.Select(g => g.GetProperty("group").GetString()));
        for (var i = 0; i < groups.Length; i++)
        {
            var g = expected.Groups[i];
            Assert.Equal((g.Rows, g.PredictedPositive, g.ActualPositive, g.TruePositive), (groups[i].GetProperty("rows").GetInt32(), groups[i].GetProperty("predicted_positive").GetInt32(), groups[i].GetProperty("actual_positive").GetInt32(), groups[i].GetProperty("true_positive").GetInt32()));
            Assert.Equal(g.PositiveRate, groups[i].GetProperty("positive_rate").GetDouble(), Tolerance);
            Assert.Equal(g.TruePositiveRate!.Value, groups[i].GetProperty("true_positive_rate").GetDouble(), Tolerance);
        }

        Assert.Equal(privileged, version.GetProperty("reference_group").GetString());
        Assert.Equal(expected.DemographicParityDifference!.Value, version.GetProperty("demographic_parity_difference").GetDouble(), Tolerance);
        Assert.Equal(expected.DisparateImpactRatio!.Value, version.GetProperty("disparate_impact_ratio").GetDouble(), Tolerance);
        Assert.Equal(expected.EqualOpportunityDifference!.Value, version.GetProperty("equal_opportunity_difference").GetDouble(), Tolerance);
        var metrics = accuracy.GetProperty("versions")[0].GetProperty("metrics");
        var expectedErrors = AccuracyCalculator.Regression(errors).ToDictionary(m => m.Name, m => m.Value);
        Assert.Equal(expectedErrors["mae"], metrics.GetProperty("mae").GetDouble(), Tolerance);
        Assert.Equal(expectedErrors["rmse"], metrics.GetProperty("rmse").GetDouble(), Tolerance);
        Assert.Equal((0, FairnessCommand.Format(fairness)), (cli.ExitCode, cli.StdOut));
        Assert.Empty(server.Errors);
    }

    private static (double Threshold, string Attribute, string Privileged) ReadMonitoring()
    {
        var directory = Path.Combine(ZooServer.Repository, "wages");
        if (!File.Exists(Path.Combine(directory, "1", "model.onnx")))
        {
            Assert.Skip("the zoo's wages model is not built; run ./inferd zoo build");
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "config.json")))!;
        var monitoring = config["monitoring"];
        if (monitoring is null)
        {
            Assert.Skip("samples/model-repository/wages was built before it had a monitoring section; delete it and run ./inferd zoo build");
        }

        return (monitoring["task"]!["threshold"]!.GetValue<double>(), monitoring["fairness"]!["attribute"]!.GetValue<string>(), monitoring["fairness"]!["privileged"]!.GetValue<string>());
    }

    private static async Task<(double Wage, string RequestId)> PredictAsync(InferdTestServer server, JsonObject fields)
    {
        using var request = RestHelpers.Json(PredictHelpers.PredictPath("wages"), new JsonObject { ["instances"] = new JsonArray(fields) }.ToJsonString());
        using var response = await server.Http.SendAsync(request).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        return (document.RootElement.GetProperty("predictions")[0].GetProperty("wage").GetDouble(), response.Headers.GetValues("inferd-request-id").Single());
    }

    private static async Task<JsonElement> GetAsync(InferdTestServer server, string path)
    {
        var answer = await RestHelpers.SendAsync(server, new HttpRequestMessage(HttpMethod.Get, path));
        Assert.True(answer.Status == HttpStatusCode.OK, $"GET {path}: {(int)answer.Status} {answer.Body}");
        using var document = JsonDocument.Parse(answer.Body);
        return document.RootElement.Clone();
    }

    // Only wages is served: the whole zoo would load two large vision and text models for nothing.
    private static void Copy(string from, string to)
    {
        foreach (var file in new[] { "config.json", "card.md", Path.Combine("1", "model.onnx") })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, file))!);
            File.Copy(Path.Combine(from, file), Path.Combine(to, file));
        }
    }
}
