using System.Net;
using System.Text;
using System.Text.Json;
using Inferd.Cli.Commands;
using Inferd.FunctionalTests.Cli;
using Inferd.Testing;
using SkiaSharp;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>
/// Drift end to end: <c>inferd profile</c> on baseline rows, traffic through <c>POST v1/models/{m}:predict</c> on a real
/// server, <c>GET v2/models/{m}/drift</c>, and <c>inferd drift --png</c>.
/// </summary>
public sealed class DriftEndpointTests(DriftServer fixture) : IClassFixture<DriftServer>
{
    private const int LiveRows = 1_000;
    private const int RowsPerRequest = 50;

    [Fact]
    public async Task Drift_UnshiftedThenShiftedTraffic_FlagsExactlyTheShiftedFeature()
    {
        // Arrange: the profile covers the four inputs and the prediction; the extra fields were ignored.
        Assert.Contains("profiled 2,000 rows", fixture.ProfileOutput, StringComparison.Ordinal);
        Assert.Contains("ignored columns (not model inputs): expected, label", fixture.ProfileOutput, StringComparison.Ordinal);

        // Act 1: 1,000 rows drawn like the baseline.
        await SendAsync(DriftTestRepository.Rows(seed: 2, count: LiveRows));
        using var unshifted = await GetDriftAsync("/v2/models/loans/drift");

        // Act 2: 1,000 rows with debt 1.5 standard deviations higher; the 1,000-row window now holds only these.
        await SendAsync(DriftTestRepository.Rows(seed: 3, count: LiveRows, debtShift: 1.5 * DriftTestRepository.DebtSd));
        using var shifted = await GetDriftAsync("/v2/models/loans/versions/1/drift");

        // Assert
        var before = unshifted.RootElement;
        var after = shifted.RootElement;
        TestContext.Current.TestOutputHelper?.WriteLine("unshifted: " + Summary(before));
        TestContext.Current.TestOutputHelper?.WriteLine("shifted:   " + Summary(after));
        Assert.Equal(LiveRows, before.GetProperty("live_rows").GetInt64());
        Assert.Equal(2_000, before.GetProperty("reference_rows").GetInt64());
        Assert.False(before.GetProperty("drift_detected").GetBoolean(), Summary(before));
        Assert.False(before.GetProperty("prediction_drift_detected").GetBoolean(), Summary(before));
        Assert.Equal(["income", "age", "debt", "region"], Names(before, "features"));
        Assert.Equal(["risk"], Names(before, "predictions"));

        Assert.True(after.GetProperty("drift_detected").GetBoolean(), Summary(after));
        Assert.Equal(["debt"], Flagged(after, "features"));
        Assert.True(after.GetProperty("prediction_drift_detected").GetBoolean(), Summary(after));
        var debt = after.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "debt");
        Assert.Equal("ks", debt.GetProperty("test").GetString());
        Assert.True(debt.GetProperty("p_value").GetDouble() < 1e-6);
        Assert.Equal(debt.GetProperty("bins").GetProperty("reference").GetArrayLength(), debt.GetProperty("bins").GetProperty("live").GetArrayLength());
        Assert.True(debt.GetProperty("data_quality").GetProperty("out_of_range").GetInt64() > 0);
        var region = after.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "region");
        Assert.Equal("chi2", region.GetProperty("test").GetString());
        Assert.Empty(fixture.Server.Errors);
    }

    [Theory]
    [InlineData("/v2/models/plain/drift", 404, "model 'plain' has no reference profile; build one with `inferd profile`")]
    [InlineData("/v2/models/nosuch/drift", 404, "unknown model 'nosuch'")]
    [InlineData("/v2/models/loans/versions/7/drift", 404, "unknown version 7 of model 'loans'")]
    public async Task Drift_NoProfileOrUnknownModel_AnswersNotFoundWithTheReason(string path, int status, string error)
    {
        using var response = await fixture.Server.Http.GetAsync(path, TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Drift_Post_AnswersMethodNotAllowed()
    {
        using var response = await fixture.Server.Http.PostAsync("/v2/models/loans/drift", new StringContent("{}"), TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET", response.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task DriftCli_Png_PrintsTheTableAndWritesADecodablePng()
    {
        // Arrange: whatever the other test sent, the window ends with 600 rows whose debt is shifted.
        using var folder = new TempDirectory();
        var png = Path.Combine(folder.Path, "drift.png");
        await SendAsync(DriftTestRepository.Rows(seed: 4, count: 600, debtShift: 1.5 * DriftTestRepository.DebtSd));

        // Act
        var (exit, stdout, stderr) = await CliRunner.RunAsync("drift", DriftTestRepository.Model, "--url", fixture.Server.Info.HttpAddress.ToString(), "--png", png);

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine(stdout);
        Assert.True(exit == 0, stderr);
        Assert.Contains("FEATURE", stdout, StringComparison.Ordinal);
        Assert.Contains("prediction risk", stdout, StringComparison.Ordinal);
        Assert.Contains("drift detected: yes (debt)", stdout, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(DriftChart.Size(5), (bitmap.Width, bitmap.Height));
        Assert.Equal((1120, 404), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task DriftCli_ModelWithoutProfile_FailsWithTheServersMessage()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("drift", DriftTestRepository.Unprofiled, "--url", fixture.Server.Info.HttpAddress.ToString());

        Assert.Equal(1, exit);
        Assert.Contains("(HTTP 404): model 'plain' has no reference profile", stderr, StringComparison.Ordinal);
    }

    private async Task SendAsync(IReadOnlyList<Dictionary<string, object>> rows)
    {
        for (var i = 0; i < rows.Count; i += RowsPerRequest)
        {
            using var content = new StringContent(DriftTestRepository.PredictBody(rows.Skip(i).Take(RowsPerRequest)), Encoding.UTF8, "application/json");
            using var response = await fixture.Server.Http.PostAsync("/v1/models/loans:predict", content, TestContext.Current.CancellationToken).DefaultTimeout();
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    private async Task<JsonDocument> GetDriftAsync(string path)
    {
        using var response = await fixture.Server.Http.GetAsync(path, TestContext.Current.CancellationToken).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body);
    }

    private static string[] Names(JsonElement report, string group) =>
        report.GetProperty(group).EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToArray();

    private static string[] Flagged(JsonElement report, string group) =>
        report.GetProperty(group).EnumerateArray().Where(f => f.GetProperty("flagged").GetBoolean()).Select(f => f.GetProperty("name").GetString()!).ToArray();

    private static string Summary(JsonElement report) =>
        string.Join("; ", report.GetProperty("features").EnumerateArray().Concat(report.GetProperty("predictions").EnumerateArray()).Select(f =>
            $"{f.GetProperty("name").GetString()} {f.GetProperty("test").GetString()} p={f.GetProperty("p_value")} psi={f.GetProperty("psi")} flagged={f.GetProperty("flagged").GetBoolean()}"));
}
