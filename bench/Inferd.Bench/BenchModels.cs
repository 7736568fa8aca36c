using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using Inferd.Abstractions.Tensors;
using Inferd.Testing.Models;
using Onnx;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.Bench;

/// <summary>One benchmark model: its id, tensor names, per-item shapes and largest batch (benchmarks.md, the suite).</summary>
/// <param name="Id">Model id and folder name; the dynamic-batching variant is <c>&lt;Id&gt;-batched</c>.</param>
/// <param name="ItemInputShape">Input shape without the batch dimension.</param>
/// <param name="ItemOutputShape">Output shape without the batch dimension.</param>
/// <param name="MaxBatchSize">The config's max_batch_size.</param>
/// <param name="Build">Builds the model file bytes (deterministic).</param>
internal sealed record BenchModel(string Id, long[] ItemInputShape, long[] ItemOutputShape, int MaxBatchSize, Func<byte[]> Build)
{
    /// <summary>Input name of every benchmark model.</summary>
    public const string Input = "INPUT0";

    /// <summary>Output name of every benchmark model.</summary>
    public const string Output = "OUTPUT0";

    /// <summary>Name of the dynamic-batching variant.</summary>
    public string BatchedId => Id + BenchModels.BatchedSuffix;

    /// <summary>FP32 elements per input item.</summary>
    public long InputItemElements => ItemInputShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>FP32 elements per output item.</summary>
    public long OutputItemElements => ItemOutputShape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// The generated benchmark models: <c>noop</c>, <c>mlp</c>, <c>cnn</c> and <c>tfm</c>, each with a plain config and a
/// <c>-batched</c> variant with <c>dynamic_batching</c>. Weights are small values from fixed seeds (latency does not
/// depend on trained weights), scaled by 1/sqrt(fan-in) so activations stay O(1) and outputs finite.
/// </summary>
internal static class BenchModels
{
    /// <summary>Suffix of the dynamic-batching variants.</summary>
    public const string BatchedSuffix = "-batched";

    /// <summary>Sequence length of <c>tfm</c>.</summary>
    public const int TfmSequence = 128;

    /// <summary>Model width of <c>tfm</c>.</summary>
    public const int TfmWidth = 256;

    /// <summary>Every model, in suite order.</summary>
    public static IReadOnlyList<BenchModel> All { get; } =
    [
        new("noop", [4], [4], 64, () => TestModels.Identity(DataType.Fp32, [-1, 4])),
        new("mlp", [64], [10], 64, () => Mlp([64, 256, 256, 10], seed: 1)),
        new("cnn", [3, 224, 224], [1000], 8, () => Cnn(seed: 2)),
        new("tfm", [TfmSequence, TfmWidth], [TfmSequence, TfmWidth], 16, () => Transformer(layers: 4, TfmSequence, TfmWidth, heads: 4, ffn: 1024, seed: 3)),
    ];

    /// <summary>
    /// Models outside the suite's default set. <c>mlp-wide</c> (64 → 1024 → 1024 → 10, about 1.1 M multiply-adds per
    /// row, 40× <c>mlp</c>) is a tabular model whose inference, not text parsing, dominates a batch job.
    /// </summary>
    public static IReadOnlyList<BenchModel> Extras { get; } =
    [
        new("mlp-wide", [64], [10], 64, () => Mlp([64, 1024, 1024, 10], seed: 4)),
    ];

    /// <summary>The model named <paramref name="id"/>, also by its <c>-batched</c> name.</summary>
    public static BenchModel Find(string id)
    {
        var baseId = id.EndsWith(BatchedSuffix, StringComparison.Ordinal) ? id[..^BatchedSuffix.Length] : id;
        return All.Concat(Extras).FirstOrDefault(m => m.Id == baseId)
            ?? throw new ArgumentException($"unknown benchmark model '{id}'; known: {string.Join(", ", All.Concat(Extras).Select(m => m.Id))}", nameof(id));
    }

    /// <summary>
    /// Writes <c>&lt;root&gt;/&lt;id&gt;/{config.pbtxt,1/model.onnx}</c> and the same for <c>&lt;id&gt;-batched</c>, for each of
    /// <paramref name="ids"/> (default: all). <paramref name="instances"/> sessions with <paramref name="intraOpThreads"/>
    /// threads each (0: the server's default) are written into both configs, so a raw run can copy the layout.
    /// </summary>
    public static void WriteRepository(string root, IEnumerable<string>? ids = null, int instances = 1, int intraOpThreads = 0, TextWriter? log = null)
    {
        var models = ids is null ? All : ids.Select(Find).Distinct().ToList();
        foreach (var model in models)
        {
            var bytes = model.Build();
            foreach (var (name, batched) in new[] { (model.Id, false), (model.BatchedId, true) })
            {
                var folder = Path.Combine(root, name);
                Directory.CreateDirectory(Path.Combine(folder, "1"));
                File.WriteAllBytes(Path.Combine(folder, "1", "model.onnx"), bytes);
                File.WriteAllText(Path.Combine(folder, "config.pbtxt"), Config(model, name, batched, instances, intraOpThreads));
            }

            log?.WriteLine($"{model.Id}: {bytes.Length:N0} bytes, max_batch_size {model.MaxBatchSize} ({model.Id}, {model.BatchedId})");
        }
    }

    /// <summary>
    /// The config.pbtxt of <paramref name="model"/> under <paramref name="name"/>. The batched variant has
    /// <c>dynamic_batching</c> with zero delay and, unless <paramref name="preferredBatchSize"/> is positive, no
    /// preferred sizes: the scheduler batches whatever queued while the instances were busy, up to max_batch_size.
    /// A batch job sends requests of the largest preferred size (else max_batch_size), so the <c>batch</c> verb states it.
    /// </summary>
    public static string Config(BenchModel model, string name, bool batched, int instances = 1, int intraOpThreads = 0, int preferredBatchSize = 0)
    {
        static string Dims(long[] dims) => string.Join(", ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"name: \"{name}\"\n");
        text.Append("platform: \"onnxruntime_onnx\"\n");
        text.Append(CultureInfo.InvariantCulture, $"max_batch_size: {model.MaxBatchSize}\n");
        text.Append(CultureInfo.InvariantCulture, $"input [\n  {{\n    name: \"{BenchModel.Input}\"\n    data_type: TYPE_FP32\n    dims: [ {Dims(model.ItemInputShape)} ]\n  }}\n]\n");
        text.Append(CultureInfo.InvariantCulture, $"output [\n  {{\n    name: \"{BenchModel.Output}\"\n    data_type: TYPE_FP32\n    dims: [ {Dims(model.ItemOutputShape)} ]\n  }}\n]\n");
        text.Append(CultureInfo.InvariantCulture, $"instance_group [\n  {{\n    count: {instances}\n    kind: KIND_CPU\n  }}\n]\n");
        if (intraOpThreads > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"parameters {{\n  key: \"intra_op_thread_count\"\n  value: {{\n    string_value: \"{intraOpThreads}\"\n  }}\n}}\n");
        }

        if (batched)
        {
            text.Append("dynamic_batching {\n");
            if (preferredBatchSize > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"  preferred_batch_size: [ {preferredBatchSize} ]\n");
            }

            text.Append("  max_queue_delay_microseconds: 0\n}\n");
        }

        return text.ToString();
    }

    /// <summary>Fully connected layers with Relu between them: INPUT0 [N, sizes[0]] → OUTPUT0 [N, sizes[^1]].</summary>
    public static byte[] Mlp(IReadOnlyList<int> sizes, int seed)
    {
        var random = new DeterministicRandom(seed);
        var nodes = new List<NodeProto>();
        var weights = new List<TensorProto>();
        var x = BenchModel.Input;
        for (var layer = 0; layer < sizes.Count - 1; layer++)
        {
            var (fanIn, fanOut) = (sizes[layer], sizes[layer + 1]);
            var last = layer == sizes.Count - 2;
            var p = $"fc{layer}_";
            weights.Add(Floats(p + "w", [fanIn, fanOut], random.NextSymmetric(fanIn * fanOut, Scale(fanIn))));
            weights.Add(Floats(p + "b", [fanOut], random.NextSymmetric(fanOut, 0.1f)));
            nodes.Add(Node("MatMul", [x, p + "w"], [p + "mm"]));
            nodes.Add(Node("Add", [p + "mm", p + "b"], [last ? BenchModel.Output : p + "pre"]));
            if (!last)
            {
                nodes.Add(Node("Relu", [p + "pre"], [p + "out"]));
                x = p + "out";
            }
        }

        return Serialize(Graph(
            "bench_mlp",
            nodes,
            [Value(BenchModel.Input, DataType.Fp32, [-1, sizes[0]])],
            [Value(BenchModel.Output, DataType.Fp32, [-1, sizes[^1]])],
            weights));
    }

    /// <summary>
    /// ResNet-18-like: conv 7×7/2 (64) + Relu, max-pool 3×3/2, four stages of two basic blocks (64/128/256/512 channels;
    /// stride 2 and a 1×1 projection shortcut where a stage starts smaller), global average pool, Gemm to 1000.
    /// Batch normalization is folded away (convolutions carry a bias). INPUT0 [N,3,224,224] → OUTPUT0 [N,1000].
    /// </summary>
    public static byte[] Cnn(int seed)
    {
        var random = new DeterministicRandom(seed);
        var nodes = new List<NodeProto>();
        var weights = new List<TensorProto>();

        string Conv(string name, string input, int inChannels, int outChannels, int kernel, int stride)
        {
            var fanIn = inChannels * kernel * kernel;
            weights.Add(Floats(name + "_w", [outChannels, inChannels, kernel, kernel], random.NextSymmetric(outChannels * fanIn, Scale(fanIn))));
            weights.Add(Floats(name + "_b", [outChannels], random.NextSymmetric(outChannels, 0.01f)));
            var pad = kernel / 2;
            nodes.Add(Node(
                "Conv",
                [input, name + "_w", name + "_b"],
                [name],
                IntsAttribute("kernel_shape", kernel, kernel),
                IntsAttribute("strides", stride, stride),
                IntsAttribute("pads", pad, pad, pad, pad)));
            return name;
        }

        string Relu(string input)
        {
            nodes.Add(Node("Relu", [input], [input + "_relu"]));
            return input + "_relu";
        }

        var x = Relu(Conv("conv1", BenchModel.Input, 3, 64, 7, 2));
        nodes.Add(Node("MaxPool", [x], ["pool1"], IntsAttribute("kernel_shape", 3, 3), IntsAttribute("strides", 2, 2), IntsAttribute("pads", 1, 1, 1, 1)));
        x = "pool1";
        var channels = 64;
        int[] stages = [64, 128, 256, 512];
        for (var stage = 0; stage < stages.Length; stage++)
        {
            for (var block = 0; block < 2; block++)
            {
                var p = $"s{stage + 1}b{block + 1}";
                var outChannels = stages[stage];
                var stride = stage > 0 && block == 0 ? 2 : 1;
                var y = Relu(Conv(p + "_conv1", x, channels, outChannels, 3, stride));
                y = Conv(p + "_conv2", y, outChannels, outChannels, 3, 1);
                var shortcut = stride != 1 || channels != outChannels ? Conv(p + "_proj", x, channels, outChannels, 1, stride) : x;
                nodes.Add(Node("Add", [y, shortcut], [p + "_sum"]));
                x = Relu(p + "_sum");
                channels = outChannels;
            }
        }

        nodes.Add(Node("GlobalAveragePool", [x], ["gap"]));
        nodes.Add(Node("Flatten", ["gap"], ["flat"], IntAttribute("axis", 1)));
        weights.Add(Floats("fc_w", [1000, channels], random.NextSymmetric(1000 * channels, Scale(channels))));
        weights.Add(Floats("fc_b", [1000], random.NextSymmetric(1000, 0.01f)));
        nodes.Add(Node("Gemm", ["flat", "fc_w", "fc_b"], [BenchModel.Output], IntAttribute("transB", 1)));
        return Serialize(Graph(
            "bench_cnn",
            nodes,
            [Value(BenchModel.Input, DataType.Fp32, [-1, 3, 224, 224])],
            [Value(BenchModel.Output, DataType.Fp32, [-1, 1000])],
            weights));
    }

    /// <summary>
    /// A post-norm transformer encoder: per layer, multi-head softmax self-attention and a Relu feed-forward block, each
    /// followed by a residual Add and LayerNormalization (opset 17). INPUT0 [N,S,D] → OUTPUT0 [N,S,D].
    /// </summary>
    public static byte[] Transformer(int layers, int sequence, int width, int heads, int ffn, int seed)
    {
        if (width % heads != 0)
        {
            throw new ArgumentException($"width {width} is not a multiple of heads {heads}", nameof(heads));
        }

        var headWidth = width / heads;
        var random = new DeterministicRandom(seed);
        var nodes = new List<NodeProto>();
        var weights = new List<TensorProto>
        {
            // Reshape's 0 copies the batch dimension from the input.
            Int64Tensor("heads_shape", [4], [0, sequence, heads, headWidth]),
            Int64Tensor("model_shape", [3], [0, sequence, width]),
            Floats("attn_scale", [], [1f / MathF.Sqrt(headWidth)]),
        };

        string Linear(string name, string input, int fanIn, int fanOut)
        {
            weights.Add(Floats(name + "_w", [fanIn, fanOut], random.NextSymmetric(fanIn * fanOut, Scale(fanIn))));
            weights.Add(Floats(name + "_b", [fanOut], random.NextSymmetric(fanOut, 0.01f)));
            nodes.Add(Node("MatMul", [input, name + "_w"], [name + "_mm"]));
            nodes.Add(Node("Add", [name + "_mm", name + "_b"], [name]));
            return name;
        }

        string Heads(string input, long[] perm)
        {
            nodes.Add(Node("Reshape", [input, "heads_shape"], [input + "_split"]));
            nodes.Add(Node("Transpose", [input + "_split"], [input + "_heads"], IntsAttribute("perm", perm)));
            return input + "_heads";
        }

        string Norm(string name, string input, string output)
        {
            weights.Add(Floats(name + "_g", [width], Enumerable.Repeat(1f, width).ToArray()));
            weights.Add(Floats(name + "_b", [width], new float[width]));
            nodes.Add(Node(
                "LayerNormalization",
                [input, name + "_g", name + "_b"],
                [output],
                IntAttribute("axis", -1),
                new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = 1e-5f }));
            return output;
        }

        var x = BenchModel.Input;
        for (var layer = 0; layer < layers; layer++)
        {
            var p = $"l{layer}_";
            var q = Heads(Linear(p + "q", x, width, width), [0, 2, 1, 3]); // [N,H,S,dh]
            var k = Heads(Linear(p + "k", x, width, width), [0, 2, 3, 1]); // [N,H,dh,S]
            var v = Heads(Linear(p + "v", x, width, width), [0, 2, 1, 3]); // [N,H,S,dh]
            nodes.Add(Node("MatMul", [q, k], [p + "scores"]));
            nodes.Add(Node("Mul", [p + "scores", "attn_scale"], [p + "scaled"]));
            nodes.Add(Node("Softmax", [p + "scaled"], [p + "probs"], IntAttribute("axis", -1)));
            nodes.Add(Node("MatMul", [p + "probs", v], [p + "ctx"]));
            nodes.Add(Node("Transpose", [p + "ctx"], [p + "ctx_t"], IntsAttribute("perm", 0, 2, 1, 3)));
            nodes.Add(Node("Reshape", [p + "ctx_t", "model_shape"], [p + "ctx_m"]));
            var attention = Linear(p + "o", p + "ctx_m", width, width);
            nodes.Add(Node("Add", [x, attention], [p + "res1"]));
            var x1 = Norm(p + "ln1", p + "res1", p + "x1");
            var hidden = Linear(p + "ff1", x1, width, ffn);
            nodes.Add(Node("Relu", [hidden], [hidden + "_relu"]));
            var ff = Linear(p + "ff2", hidden + "_relu", ffn, width);
            nodes.Add(Node("Add", [x1, ff], [p + "res2"]));
            x = Norm(p + "ln2", p + "res2", layer == layers - 1 ? BenchModel.Output : p + "out");
        }

        return Serialize(
            Graph(
                "bench_tfm",
                nodes,
                [Value(BenchModel.Input, DataType.Fp32, [-1, sequence, width])],
                [Value(BenchModel.Output, DataType.Fp32, [-1, sequence, width])],
                weights),
            opset: 17);
    }

    // Uniform in ±sqrt(3/fan-in): variance 1/fan-in, so each layer keeps its input's scale.
    private static float Scale(int fanIn) => MathF.Sqrt(3f / fanIn);

    // raw_data instead of float_data: millions of weights serialize and load faster as one little-endian block.
    private static TensorProto Floats(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
