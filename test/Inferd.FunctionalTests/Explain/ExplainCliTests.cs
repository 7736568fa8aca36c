using System.Globalization;
using System.Text;
using Inferd.Abstractions.Tensors;
using Inferd.Cli.Commands;
using Inferd.FunctionalTests.Cli;
using Inferd.Testing;
using Inferd.Testing.Server;
using Onnx;
using SkiaSharp;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.FunctionalTests.Explain;

/// <summary><c>inferd explain</c> end to end: the real executable against a real server's <c>:explain</c> endpoint.</summary>
public sealed class ExplainCliTests
{
    private static readonly double[] Coef = [2, -0.5, 4, -0.05];

    [Fact]
    public async Task ExplainCli_LimeOnALinearModel_PrintsTheTableAndWritesTheChart()
    {
        // Arrange
        await using var server = await InferdTestServer.StartAsync(fill: WriteLinear).DefaultTimeout();
        using var folder = new TempDirectory();
        var png = Path.Combine(folder.Path, "chart.png");

        // Act
        var (exit, stdout, stderr) = await CliRunner.RunAsync(
            "explain", "lin", "--url", server.Info.HttpAddress.ToString(), "--field", "x=[1.5,4,-2.5,70]", "--method", "lime", "--top", "3", "--png", png);

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine(stdout);
        Assert.True(exit == 0, stderr);
        Assert.Contains("explanation of lin version 1", stdout, StringComparison.Ordinal);
        Assert.Contains("lime_tabular", stdout, StringComparison.Ordinal);
        Assert.Contains("(R² 1.0000)", stdout, StringComparison.Ordinal);
        Assert.Contains("1,001 in", stdout, StringComparison.Ordinal);
        Assert.Contains("top 3 of 4 features by |attribution|:", stdout, StringComparison.Ordinal);
        Assert.Contains($"chart: {png} (900x150)", stdout, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(ExplainChart.Size(3), (bitmap.Width, bitmap.Height));
        Assert.Empty(server.Errors);
    }

    [Fact]
    public async Task ExplainCli_KernelShapOnALinearModel_PrintsBaseValueAndAdditivityError()
    {
        // Arrange
        await using var server = await InferdTestServer.StartAsync(fill: WriteLinear).DefaultTimeout();

        // Act
        var (exit, stdout, stderr) = await CliRunner.RunAsync(
            "explain", "lin", "--url", server.Info.HttpAddress.ToString(), "--json", """{"x": [1.5, 4, -2.5, 70]}""", "--method", "kernel_shap");

        // Assert: exact SHAP of a linear model, coefficient × (x − background mean); x[1] (−0.5 × (4 − 14.4)) leads.
        TestContext.Current.TestOutputHelper?.WriteLine(stdout);
        Assert.True(exit == 0, stderr);
        Assert.Contains("kernel_shap (exact)", stdout, StringComparison.Ordinal);
        Assert.Contains("base value", stdout, StringComparison.Ordinal);
        Assert.Contains("(additivity error", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("WEIGHT", stdout, StringComparison.Ordinal);
        Assert.Contains("top 4 of 4 features by |attribution|:", stdout, StringComparison.Ordinal);
        var lines = stdout.Split('\n');
        Assert.StartsWith("x[1] ", lines[Array.FindIndex(lines, l => l.StartsWith("FEATURE", StringComparison.Ordinal)) + 1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainCli_ImageWithHeatmap_WritesTheServersHeatmapAtThePicturesSize()
    {
        // Arrange
        await using var server = await InferdTestServer.StartAsync(fill: WritePictures).DefaultTimeout();
        using var folder = new TempDirectory();
        var picture = Path.Combine(folder.Path, "tiles.png");
        File.WriteAllBytes(picture, Tiles());
        var heatmap = Path.Combine(folder.Path, "out", "heatmap.png");

        // Act
        var (exit, stdout, stderr) = await CliRunner.RunAsync(
            "explain", "pictures", "--url", server.Info.HttpAddress.ToString(), "--image", picture, "--method", "lime", "--segments", "16", "--samples", "200", "--heatmap", heatmap);

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine(stdout);
        Assert.True(exit == 0, stderr);
        Assert.Contains("lime_image", stdout, StringComparison.Ordinal);
        Assert.Contains("segment 0", stdout, StringComparison.Ordinal);
        Assert.Contains("heat map: " + heatmap, stdout, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(heatmap);
        Assert.Equal((64, 64), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task ExplainCli_ModelWithoutBackground_FailsWithTheServersMessage()
    {
        await using var server = await InferdTestServer.StartAsync(fill: root => ModelRepositoryBuilder.Add(root, "bare", Linear(Coef), Config("bare", ""))).DefaultTimeout();

        var (exit, _, stderr) = await CliRunner.RunAsync("explain", "bare", "--url", server.Info.HttpAddress.ToString(), "--field", "x=[1,2,3,4]", "--method", "lime_tabular");

        Assert.Equal(1, exit);
        Assert.Contains("(HTTP 400): model 'bare' has no background data set", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainCli_NoInstance_UsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("explain", "lin", "--url", "http://127.0.0.1:9");

        Assert.Equal(2, exit);
        Assert.Contains("give the instance with --field", stderr, StringComparison.Ordinal);
    }

    private static void WriteLinear(string root)
    {
        ModelRepositoryBuilder.Add(root, "lin", Linear(Coef), Config("lin", """, "explain": {"background": {"file": "background.jsonl"}}"""));
        var random = new Random(5);
        var rows = new StringBuilder();
        for (var i = 0; i < 50; i++)
        {
            rows.Append(CultureInfo.InvariantCulture, $"[{random.NextDouble() * 2},{10 + (random.NextDouble() * 10)},{-3 + random.NextDouble()},{50 + (random.NextDouble() * 20)}]\n");
        }

        File.WriteAllText(Path.Combine(root, "lin", "background.jsonl"), rows.ToString());
    }

    private static void WritePictures(string root) => ModelRepositoryBuilder.Add(root, "pictures", TopLeftRed(), """
        {"name": "pictures", "max_batch_size": 64,
         "pipeline": {
           "inputs": [{"name": "image", "data_type": "TYPE_STRING", "dims": []}],
           "steps": [
             {"name": "decode", "kind": "image", "options": {"width": 64, "height": 64}},
             {"name": "model", "kind": "onnx"}],
           "outputs": ["y"]}}
        """);

    private static string Config(string name, string extra) => $$"""
        {"name": "{{name}}", "max_batch_size": 256,
         "input": [{"name": "x", "data_type": "TYPE_FP64", "dims": [4]}],
         "output": [{"name": "y", "data_type": "TYPE_FP64", "dims": [1]}]{{extra}}}
        """;

    // y = x·coef in FP64.
    private static byte[] Linear(double[] coef)
    {
        var w = new TensorProto { Name = "W", DataType = (int)TensorProto.Types.DataType.Double };
        w.Dims.AddRange([coef.Length, 1]);
        w.DoubleData.AddRange(coef);
        return Serialize(Graph("linear", [Node("MatMul", ["x", "W"], ["y"])], [Value("x", DataType.Fp64, [-1, coef.Length])], [Value("y", DataType.Fp64, [-1, 1])], [w]));
    }

    // The mean of channel 0 over the top-left quadrant of a [N,3,64,64] picture.
    private static byte[] TopLeftRed() => Serialize(Graph(
        "top_left_red",
        [
            Node("Slice", ["tensor", "starts", "ends", "axes"], ["quadrant"]),
            Node("ReduceMean", ["quadrant"], ["mean"], IntsAttribute("axes", 1, 2, 3), IntAttribute("keepdims", 1)),
            Node("Flatten", ["mean"], ["y"], IntAttribute("axis", 1)),
        ],
        [Value("tensor", DataType.Fp32, [-1, 3, 64, 64])],
        [Value("y", DataType.Fp32, [-1, 1])],
        [Int64Tensor("starts", [3], [0, 0, 0]), Int64Tensor("ends", [3], [1, 32, 32]), Int64Tensor("axes", [3], [1, 2, 3])]));

    // 64 × 64, sixteen tiles of four colour families, one per quadrant.
    private static byte[] Tiles()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(64, 64, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(bitmap))
        {
            for (var t = 0; t < 16; t++)
            {
                var (tx, ty) = (t % 4, t / 4);
                var shade = (byte)(120 + (40 * (((ty % 2) * 2) + (tx % 2))));
                var colour = (ty < 2, tx < 2) switch
                {
                    (true, true) => new SKColor(shade, 0, 0),
                    (true, false) => new SKColor(0, shade, 0),
                    (false, true) => new SKColor(0, 0, shade),
                    _ => new SKColor(shade, shade, shade),
                };
                using var paint = new SKPaint { Color = colour };
                canvas.DrawRect(new SKRect(tx * 16, ty * 16, (tx + 1) * 16, (ty + 1) * 16), paint);
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
