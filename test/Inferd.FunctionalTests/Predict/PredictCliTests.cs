using System.Text.Json;
using Inferd.FunctionalTests.Cli;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Predict;

/// <summary><c>inferd predict</c> run as a process against a real server.</summary>
public sealed class PredictCliTests(PredictServer fixture) : IClassFixture<PredictServer>
{
    private string Url => fixture.Server.Info.HttpAddress.ToString();

    [Fact]
    public async Task Predict_FieldOptions_PrintsIndentedPredictions()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(
            "predict", "multi", "--url", Url, "-f", "IDS=[1,2,3,4]", "--field", "SCORES=[0.5,0.5,1,1]", "-f", "MASK=[true,false,true,false]", "-f", "TEXT=héllo");

        Assert.True(exit == 0, stderr);
        Assert.Contains("\n  \"predictions\": [", stdout, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(stdout);
        var prediction = doc.RootElement.GetProperty("predictions")[0];
        Assert.Equal(3f, prediction.GetProperty("SCORES_SUM").GetSingle());
        Assert.Equal("héllo", prediction.GetProperty("TEXT_OUT").GetString());
    }

    [Fact]
    public async Task Predict_ScalarFieldAndVersion_SendsANumber()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("predict", "scalar", "--url", Url, "--version", "1", "-f", "INPUT0=2.5");

        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(2.5f, doc.RootElement.GetProperty("predictions")[0].GetProperty("OUTPUT0").GetSingle());
    }

    [Fact]
    public async Task Predict_JsonBody_SentAsIs()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("predict", "mlp", "--url", Url, "--json", """{"instances": [[1, 2, 3, 4], [4, 3, 2, 1]]}""");

        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(2, doc.RootElement.GetProperty("predictions").GetArrayLength());
    }

    [Fact]
    public async Task Predict_FileAndDataOptions_SendTheFileBytes()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "note.txt");
        await File.WriteAllTextAsync(path, "from a file", TestContext.Current.CancellationToken);

        var multipart = await CliRunner.RunAsync("predict", "strings", "--url", Url, "--file", "INPUT0=" + path);
        var raw = await CliRunner.RunAsync("predict", "strings", "--url", Url, "--data", path);

        foreach (var (exit, stdout, stderr) in new[] { multipart, raw })
        {
            Assert.True(exit == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            Assert.Equal("from a file", doc.RootElement.GetProperty("predictions")[0].GetProperty("OUTPUT0").GetString());
        }
    }

    [Fact]
    public async Task Predict_ServerError_ExitCode1WithTheMessage()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("predict", "mlp", "--url", Url, "-f", "colour=red");

        Assert.Equal(1, exit);
        Assert.Contains("HTTP 400", stderr, StringComparison.Ordinal);
        Assert.Contains("unknown field 'colour'", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("predict", "mlp")]
    [InlineData("predict", "mlp", "-f", "X=1", "--json", "{}")]
    [InlineData("predict", "mlp", "-f", "novalue")]
    [InlineData("predict", "mlp", "--url", "grpc://127.0.0.1:1", "-f", "X=1")]
    public async Task Predict_BadCommandLine_ExitCode2(params string[] args)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync(args);

        Assert.True(exit == 2, stderr);
        Assert.StartsWith("inferd: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsPredict()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("--help");

        Assert.Equal(0, exit);
        Assert.Contains("predict", stdout, StringComparison.Ordinal);
    }
}
