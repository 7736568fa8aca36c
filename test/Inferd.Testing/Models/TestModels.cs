using Inferd.Abstractions.Tensors;
using Onnx;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.Testing.Models;

/// <summary>
/// Tiny ONNX models built in code, returned as model-file bytes. Every builder is deterministic (same arguments,
/// same bytes). Shapes use -1 for a symbolic dimension: the first -1 is named <c>N</c> (batch), so a shape such as
/// <c>[-1, 16]</c> is the batchable variant and <c>[4, 16]</c> the fixed-shape one.
/// </summary>
public static class TestModels
{
    /// <summary>First input name of the Triton-style models.</summary>
    public const string Input0 = "INPUT0";

    /// <summary>Second input name of the Triton-style models.</summary>
    public const string Input1 = "INPUT1";

    /// <summary>First output name of the Triton-style models.</summary>
    public const string Output0 = "OUTPUT0";

    /// <summary>Second output name of the Triton-style models.</summary>
    public const string Output1 = "OUTPUT1";

    /// <summary>Input of <see cref="Mlp"/>.</summary>
    public const string MlpInput = "X";

    /// <summary>Output of <see cref="Mlp"/>.</summary>
    public const string MlpOutput = "Y";

    /// <summary>Iteration-count input of <see cref="Slow"/>: INT64 [1].</summary>
    public const string SlowIterations = "ITERATIONS";

    /// <summary>
    /// OUTPUT0 = INPUT0 with the same type and shape. ONNX Runtime 1.31's CPU Identity kernel covers every
    /// protocol type (BYTES = ONNX STRING), including FP16 and BF16, so no substitute op is needed.
    /// </summary>
    public static byte[] Identity(DataType type, long[] shape) =>
        Serialize(Graph(
            "identity_" + type.ToWireName().ToLowerInvariant(),
            [Node("Identity", [Input0], [Output0])],
            [Value(Input0, type, shape)],
            [Value(Output0, type, shape)]));

    /// <summary>
    /// Triton's "simple" model: OUTPUT0 = INPUT0 + INPUT1 and OUTPUT1 = INPUT0 - INPUT1, all of
    /// <paramref name="type"/> and <paramref name="shape"/>. Opset 14, because that is where Add/Sub gained the 8- and
    /// 16-bit integers: ORT 1.31's CPU kernels then run every integer type and FP16/FP32/FP64. BOOL and BYTES are
    /// invalid graphs (ONNX has no Add for them) and BF16 has no CPU kernel; all three fail at session creation.
    /// </summary>
    public static byte[] AddSub(DataType type, long[] shape) =>
        Serialize(Graph(
            "add_sub_" + type.ToWireName().ToLowerInvariant(),
            [Node("Add", [Input0, Input1], [Output0]), Node("Sub", [Input0, Input1], [Output1])],
            [Value(Input0, type, shape), Value(Input1, type, shape)],
            [Value(Output0, type, shape), Value(Output1, type, shape)]),
            opset: 14);

    /// <summary>String identity: BYTES (ONNX STRING) INPUT0 → OUTPUT0, shape <paramref name="shape"/> (default [-1]).</summary>
    public static byte[] StringIdentity(long[]? shape = null) => Identity(DataType.Bytes, shape ?? [-1]);

    /// <summary>
    /// Element-wise string concatenation OUTPUT0 = INPUT0 ‖ INPUT1 over BYTES [-1] with ONNX's StringConcat
    /// (opset 20, so IR version 9). Broadcasting follows numpy rules.
    /// </summary>
    public static byte[] StringConcat(long[]? shape = null)
    {
        shape ??= [-1];
        return Serialize(
            Graph(
                "string_concat",
                [Node("StringConcat", [Input0, Input1], [Output0])],
                [Value(Input0, DataType.Bytes, shape), Value(Input1, DataType.Bytes, shape)],
                [Value(Output0, DataType.Bytes, shape)]),
            opset: 20,
            irVersion: 9);
    }

    /// <summary>
    /// A two-layer perceptron X float [N, <paramref name="inputs"/>] → Y float [N, <paramref name="outputs"/>]:
    /// Y = Relu(X·W1 + B1)·W2 + B2, with weights from <see cref="MlpParameters.Create"/> (deterministic per seed).
    /// </summary>
    public static byte[] Mlp(int inputs, int hidden, int outputs, int seed)
    {
        var p = MlpParameters.Create(inputs, hidden, outputs, seed);
        return Serialize(Graph(
            "mlp",
            [
                Node("MatMul", [MlpInput, "W1"], ["xw1"]),
                Node("Add", ["xw1", "B1"], ["h_pre"]),
                Node("Relu", ["h_pre"], ["h"]),
                Node("MatMul", ["h", "W2"], ["hw2"]),
                Node("Add", ["hw2", "B2"], [MlpOutput]),
            ],
            [Value(MlpInput, DataType.Fp32, [-1, inputs])],
            [Value(MlpOutput, DataType.Fp32, [-1, outputs])],
            [
                FloatTensor("W1", [inputs, hidden], p.W1),
                FloatTensor("B1", [hidden], p.B1),
                FloatTensor("W2", [hidden, outputs], p.W2),
                FloatTensor("B2", [outputs], p.B2),
            ]));
    }

    /// <summary>
    /// A model whose run time the caller picks, for cancellation and timeout tests. Inputs: INPUT0 float
    /// [N, <paramref name="size"/>] and ITERATIONS int64 [1]; output OUTPUT0 float [N, size]. A Loop runs
    /// ITERATIONS times x = Tanh(x·W) with W [size, size]. ORT checks RunOptions.Terminate between nodes, also
    /// inside the loop body, so a terminated run stops within one iteration.
    /// Cost per iteration is N·size² multiply-adds. Measured with ORT 1.31.1 on 2 shared cores, size 256: about
    /// 0.6 ms per iteration at N = 256 (100 iterations ≈ 60 ms, 5,000 ≈ 3 s) and 0.03 ms at N = 1. Setting
    /// RunOptions.Terminate 300 ms into a 1,000,000-iteration run stopped it 15 ms later with ORT's
    /// "Exiting due to terminate flag" error.
    /// </summary>
    public static byte[] Slow(int size = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var w = new DeterministicRandom(7).NextSymmetric(size * size, 1f / MathF.Sqrt(size));
        var body = Graph(
            "slow_body",
            [
                Node("Identity", ["cond_in"], ["cond_out"]),
                Node("MatMul", ["x_in", "W"], ["xw"]),
                Node("Tanh", ["xw"], ["x_out"]),
            ],
            [Value("iteration", DataType.Int64, []), Value("cond_in", DataType.Bool, []), ValueAnyShape("x_in", DataType.Fp32)],
            [Value("cond_out", DataType.Bool, []), ValueAnyShape("x_out", DataType.Fp32)]);
        return Serialize(Graph(
            "slow",
            [
                // Loop's M must be a scalar; the protocol side is friendlier with [1], so reshape to [].
                Node("Reshape", [SlowIterations, "scalar_shape"], ["trip_count"]),
                Node("Loop", ["trip_count", "keep_going", Input0], [Output0], GraphAttribute("body", body)),
            ],
            [Value(Input0, DataType.Fp32, [-1, size]), Value(SlowIterations, DataType.Int64, [1])],
            [Value(Output0, DataType.Fp32, [-1, size])],
            [
                Int64Tensor("scalar_shape", [0], []),
                BoolTensor("keep_going", [], [true]),
                FloatTensor("W", [size, size], w),
            ]));
    }

    /// <summary>
    /// Several inputs and outputs of different types, all batchable on N:
    /// IDS int64 [N,4], SCORES float [N,4], MASK bool [N,4], TEXT string [N] →
    /// IDS_OUT = IDS (int64 [N,4]), SCORES_SUM = row sums (float [N,1]), SCORES_FP64 = Cast(SCORES) (double [N,4]),
    /// MASK_NOT = Not(MASK) (bool [N,4]), TEXT_OUT = TEXT (string [N]).
    /// </summary>
    public static byte[] MultiType() =>
        Serialize(Graph(
            "multi_type",
            [
                Node("Identity", ["IDS"], ["IDS_OUT"]),
                Node("ReduceSum", ["SCORES", "sum_axes"], ["SCORES_SUM"], IntAttribute("keepdims", 1)),
                Node("Cast", ["SCORES"], ["SCORES_FP64"], IntAttribute("to", (long)TensorProto.Types.DataType.Double)),
                Node("Not", ["MASK"], ["MASK_NOT"]),
                Node("Identity", ["TEXT"], ["TEXT_OUT"]),
            ],
            [
                Value("IDS", DataType.Int64, [-1, 4]),
                Value("SCORES", DataType.Fp32, [-1, 4]),
                Value("MASK", DataType.Bool, [-1, 4]),
                Value("TEXT", DataType.Bytes, [-1]),
            ],
            [
                Value("IDS_OUT", DataType.Int64, [-1, 4]),
                Value("SCORES_SUM", DataType.Fp32, [-1, 1]),
                Value("SCORES_FP64", DataType.Fp64, [-1, 4]),
                Value("MASK_NOT", DataType.Bool, [-1, 4]),
                Value("TEXT_OUT", DataType.Bytes, [-1]),
            ],
            [Int64Tensor("sum_axes", [1], [1])]));
}
