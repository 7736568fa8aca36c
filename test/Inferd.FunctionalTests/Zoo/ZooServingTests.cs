using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Inferd.Abstractions.Tensors;
using Inferd.FunctionalTests.Predict;
using Inferd.Protocol.V2;
using Inferd.Zoo.Training;

namespace Inferd.FunctionalTests.Zoo;

/// <summary>
/// Every zoo model served over <c>POST /v1/models/{m}:predict</c> gives what the trained model gave in process (ML.NET,
/// or the pipeline run in the zoo build) for every held-out row, and the card's metrics recompute from the served
/// predictions.
/// </summary>
public sealed class ZooServingTests(ZooServer zoo) : IClassFixture<ZooServer>
{
    // ONNX Runtime sums tree ensembles in FP32 where ML.NET uses FP64: a house price near 35 differs by about three
    // FP32 steps (1.3e-5), so the bound is 1e-5 absolute up to 1 and relative above.
    private static double Tolerance(double expected) => 1e-5 * Math.Max(1, Math.Abs(expected));

    [Theory]
    [InlineData("spam", "spam_probability", "spam")]
    [InlineData("sensor-anomaly", "anomaly_probability", "anomaly")]
    public async Task Predict_ClassifierHeldout_EqualsTrainedModelAndRecomputesCard(string model, string probability, string positive)
    {
        var (rows, served) = await ServeHeldoutAsync(model);

        var truth = rows.Select(r => r["label"]!.GetValue<string>() == positive).ToArray();
        var scores = served.Select(p => (double)p.GetProperty(probability).GetSingle()).ToArray();
        var card = await CardMetricsAsync(model);
        Assert.Equal(card["accuracy"], Metrics.Accuracy(truth, scores), 4);
        Assert.Equal(card["auc"], Metrics.Auc(truth, scores), 4);
        if (card.TryGetValue("recall", out var recall))
        {
            Assert.Equal(recall, Metrics.Recall(truth, scores), 4);
        }
    }

    [Theory]
    [InlineData("house-prices", "price", "r2", "rmse")]
    [InlineData("wages", "wage", "r2", "mae")]
    public async Task Predict_RegressionHeldout_EqualsTrainedModelAndRecomputesCard(string model, string output, string first, string second)
    {
        var (rows, served) = await ServeHeldoutAsync(model);

        var truth = rows.Select(r => r["label"]!.GetValue<double>()).ToArray();
        var predicted = served.Select(p => (double)p.GetProperty(output).GetSingle()).ToArray();
        var card = await CardMetricsAsync(model);
        Assert.Equal(card["r2"], Metrics.R2(truth, predicted), 4);
        Assert.Equal(card[second], second == "rmse" ? Metrics.Rmse(truth, predicted) : Metrics.Mae(truth, predicted), 4);
        Assert.Equal("r2", first);
    }

    [Fact]
    public async Task Predict_MiniLm_EmbeddingsEqualTheBuildAndRankParaphrasesFirst()
    {
        var server = zoo.Require();
        var rows = Heldout("minilm");
        var served = new List<float[]>();
        foreach (var chunk in rows.Chunk(16))
        {
            var body = new JsonObject { ["instances"] = new JsonArray(chunk.Select(r => (JsonNode)new JsonObject { ["text"] = r["text"]!.GetValue<string>() }).ToArray()) };
            served.AddRange((await PredictHelpers.PredictOkAsync(server, "minilm", body.ToJsonString())).Select(p => PredictHelpers.Floats(p.GetProperty("embedding"))));
        }

        for (var i = 0; i < rows.Count; i++)
        {
            AssertClose(rows[i]["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray(), served[i], $"minilm row {i}");
        }

        var byText = rows.Select((r, i) => (Text: r["text"]!.GetValue<string>(), Vector: served[i])).ToDictionary(p => p.Text, p => p.Vector);
        var cat = byText["The cat sits on the mat."];
        Assert.Equal(0.679, Dot(cat, byText["A kitten is sitting on a rug."]), 2);
        Assert.Equal(0.046, Dot(cat, byText["Stock markets fell sharply today."]), 2);
    }

    [Theory]
    [InlineData("resnet18", "embedding")]
    [InlineData("text-orientation", "probabilities")]
    public async Task Predict_UploadedImage_EqualsTheBuild(string model, string output)
    {
        var server = zoo.Require();
        foreach (var row in Heldout(model))
        {
            var file = Path.Combine(ZooServer.Repository, model, row["file"]!.GetValue<string>());
            using var form = new MultipartFormDataContent();
            var part = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            part.Headers.ContentType = new MediaTypeHeaderValue(file.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg");
            form.Add(part, "image", Path.GetFileName(file));

            var answer = await RestHelpers.SendAsync(server, new HttpRequestMessage(HttpMethod.Post, PredictHelpers.PredictPath(model)) { Content = form });

            var prediction = Assert.Single(PredictHelpers.Predictions(answer));
            AssertClose(row[output]!.AsArray().Select(v => v!.GetValue<float>()).ToArray(), PredictHelpers.Floats(prediction.GetProperty(output)), file);
            if (row["label"] is { } label)
            {
                Assert.Equal(label.GetValue<string>(), prediction.GetProperty("label").GetString());
            }
        }
    }

    [Fact]
    public async Task ModelInfer_GrpcWithTheImageAsABytesTensor_AnswersLikeTheRestUpload()
    {
        var server = zoo.Require();
        var row = Heldout("text-orientation")[1];
        var png = await File.ReadAllBytesAsync(Path.Combine(ZooServer.Repository, "text-orientation", row["file"]!.GetValue<string>()));
        var request = new ModelInferRequest { ModelName = "text-orientation" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "image", Datatype = "BYTES" };
        input.Shape.Add(1);
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom(BytesTensor.Encode([png])));
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "probabilities" });
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "label" });

        var response = await server.Grpc.ModelInferAsync(request);

        var probabilities = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(response.RawOutputContents[0].Span).ToArray();
        AssertClose(row["probabilities"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray(), probabilities, "gRPC text-orientation");
        var label = BytesTensor.Split(response.RawOutputContents[1].ToByteArray());
        Assert.Equal(row["label"]!.GetValue<string>(), System.Text.Encoding.UTF8.GetString(Assert.Single(label).Span));
    }

    [Theory]
    [InlineData("spam")]
    [InlineData("house-prices")]
    [InlineData("wages")]
    [InlineData("sensor-anomaly")]
    [InlineData("minilm")]
    [InlineData("resnet18")]
    [InlineData("text-orientation")]
    public async Task GetCard_ZooModel_HasHeldoutMetricsAndTheSections(string model)
    {
        var server = zoo.Require();

        var answer = await RestHelpers.SendAsync(server, new HttpRequestMessage(HttpMethod.Get, $"/v2/models/{model}/card"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        using var doc = JsonDocument.Parse(answer.Body);
        Assert.NotEmpty(doc.RootElement.GetProperty("metrics").EnumerateObject());
        var markdown = doc.RootElement.GetProperty("markdown").GetString()!;
        foreach (var section in new[] { "## Intended use", "## Limitations" })
        {
            Assert.Contains(section, markdown, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Predict_NamedFieldsWithAMissingValue_Answers400NamingTheField()
    {
        var server = zoo.Require();
        var row = Heldout("house-prices")[0];
        row.Remove("expected");
        row.Remove("label");
        row.Remove("crim");

        var answer = await RestHelpers.SendAsync(server, RestHelpers.Json(PredictHelpers.PredictPath("house-prices"), new JsonObject { ["instances"] = new JsonArray(row) }.ToJsonString()));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, "'crim'");
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Predict_UnreadableImage_Answers400NamingTheField()
    {
        var server = zoo.Require();
        var body = """{"instances": [{"image": {"b64": "bm90IGFuIGltYWdl"}}]}""";

        var answer = await RestHelpers.SendAsync(server, RestHelpers.Json(PredictHelpers.PredictPath("resnet18"), body));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, "'image'");
    }

    private async Task<(List<JsonObject> Rows, List<JsonElement> Served)> ServeHeldoutAsync(string model)
    {
        var server = zoo.Require();
        var rows = Heldout(model);
        var served = new List<JsonElement>();
        foreach (var chunk in rows.Chunk(64))
        {
            var instances = new JsonArray(chunk.Select(r =>
            {
                var fields = (JsonObject)r.DeepClone();
                fields.Remove("expected");
                fields.Remove("label");
                return (JsonNode)fields;
            }).ToArray());
            served.AddRange(await PredictHelpers.PredictOkAsync(server, model, new JsonObject { ["instances"] = instances }.ToJsonString()));
        }

        Assert.Equal(rows.Count, served.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            foreach (var (name, value) in rows[i]["expected"]!.AsObject())
            {
                var actual = served[i].GetProperty(name);
                if (value!.GetValueKind() == JsonValueKind.String)
                {
                    Assert.Equal(value.GetValue<string>(), actual.GetString());
                }
                else
                {
                    var expected = value.GetValue<double>();
                    Assert.True(Math.Abs(expected - actual.GetDouble()) <= Tolerance(expected), $"{model} row {i} {name}: served {actual.GetDouble()}, trained model {expected}");
                }
            }
        }

        return (rows, served);
    }

    private async Task<Dictionary<string, double>> CardMetricsAsync(string model)
    {
        var answer = await RestHelpers.SendAsync(zoo.Require(), new HttpRequestMessage(HttpMethod.Get, $"/v2/models/{model}/card"));
        using var doc = JsonDocument.Parse(answer.Body);
        return doc.RootElement.GetProperty("metrics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
    }

    private static List<JsonObject> Heldout(string model) =>
        File.ReadLines(Path.Combine(ZooServer.Repository, model, "heldout.jsonl")).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"{what} [{i}]: served {actual[i]}, in process {expected[i]}");
        }
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
