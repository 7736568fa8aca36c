using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inferd.FunctionalTests.Zoo;
using Inferd.Testing;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Explain;

/// <summary>
/// Explanations of the zoo's models over a real server: <c>wages</c> (an ML.NET FastTree export behind a
/// <c>tabular</c> step, its held-out rows as background) gets the same values from Tree SHAP as from exact Kernel SHAP;
/// <c>spam</c> gets word weights from text LIME. Needs the zoo built with the explain section (<c>./inferd zoo
/// build</c>); skips otherwise.
/// </summary>
public sealed class ZooExplainTests
{
    private const string Row = """
        {"education": 16, "south": false, "gender": "female", "experience": 10, "union": false, "age": 32,
         "race": "white", "occupation": "professional", "sector": "other", "married": true}
        """;

    [Fact]
    public async Task Explain_WagesTreeShap_EqualsExactKernelShapAndIsTheDefault()
    {
        Require("wages");
        using var folder = new TempDirectory();
        Copy("wages", folder.Path, "config.json", "heldout.jsonl", Path.Combine("1", "model.onnx"));
        await using var server = await InferdTestServer.StartAsync(repository: folder.Path);

        var tree = await ExplainAsync(server, "wages", Row, null);
        var kernel = await ExplainAsync(server, "wages", Row, """{"method": "kernel_shap", "mode": "exact"}""");

        Assert.Equal("tree_shap", tree["method"]!.GetValue<string>());
        Assert.Equal(1, tree["evaluations"]!.GetValue<long>());
        // 2^10 − 1 coalitions × 100 background rows, plus the row.
        Assert.Equal(102_301, kernel["evaluations"]!.GetValue<long>());
        var treeValues = Attributions(tree);
        var kernelValues = Attributions(kernel);
        Assert.Equal(10, treeValues.Length);
        for (var i = 0; i < treeValues.Length; i++)
        {
            Assert.Equal(kernelValues[i], treeValues[i], 1e-5);
        }

        Assert.Equal(kernel["base_value"]!.GetValue<double>(), tree["base_value"]!.GetValue<double>(), 1e-5);
    }

    [Fact]
    public async Task Explain_SpamLimeText_WeighsEveryWordWithItsFit()
    {
        Require("spam");
        using var folder = new TempDirectory();
        Copy("spam", folder.Path, "config.json", Path.Combine("1", "model.onnx"));
        await using var server = await InferdTestServer.StartAsync(repository: folder.Path);
        var text = "WINNER you have won a free prize call now to claim your cash";
        var input = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "spam", "config.json")))!["pipeline"]!["inputs"]![0]!["name"]!.GetValue<string>();
        var body = new JsonObject { [input] = text }.ToJsonString();

        // No method: spam is not tabular, so LIME, which picks text for its one BYTES input.
        var lime = await ExplainAsync(server, "spam", body, """{"samples": 300}""");

        Assert.Equal("lime_text", lime["method"]!.GetValue<string>());
        Assert.Equal(text.Split(' ').Length, lime["features"]!.AsArray().Count);
        var r2 = lime["r2"]!.GetValue<double>();
        Assert.InRange(r2, 0, 1);
        Assert.Equal(301, lime["evaluations"]!.GetValue<long>());
    }

    private static async Task<JsonObject> ExplainAsync(InferdTestServer server, string model, string instance, string? explain)
    {
        var body = "{\"instances\": [" + instance + "]" + (explain is null ? "" : ", \"explain\": " + explain) + "}";
        var answer = await RestHelpers.SendAsync(server, RestHelpers.Json($"/v1/models/{model}:explain", body));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        return JsonNode.Parse(answer.Body)!.AsObject();
    }

    private static double[] Attributions(JsonObject explanation) =>
        explanation["features"]!.AsArray().Select(f => f!["attribution"]!.GetValue<double>()).ToArray();

    private static void Require(string model)
    {
        var directory = Path.Combine(ZooServer.Repository, model);
        if (!File.Exists(Path.Combine(directory, "1", "model.onnx")))
        {
            Assert.Skip($"the zoo's {model} model is not built; run ./inferd zoo build");
        }

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "config.json")));
        if (model != "spam" && !config.RootElement.TryGetProperty("explain", out _))
        {
            Assert.Skip($"samples/model-repository/{model} was built before it had an explain section; delete it and run ./inferd zoo build");
        }
    }

    private static void Copy(string model, string root, params string[] files)
    {
        foreach (var file in files)
        {
            var to = Path.Combine(root, model, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(Path.Combine(ZooServer.Repository, model, file), to);
        }
    }
}
