using System.Buffers.Binary;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using Inferd.Monitoring.Drift;

namespace Inferd.Monitoring.Tests.Drift;

/// <summary>
/// Synthetic traffic for the drift tests: a model with a vector input <c>x</c> [N,3] of N(0,1) values, a scalar FP64
/// input <c>amount</c> ~ N(0,1), a BYTES input <c>color</c> (red 50%, green 30%, blue 15%, grey 5%), and an output
/// <c>score</c> = x[0] + x[1]. Random numbers come from a seeded <see cref="Random"/> through Box–Muller.
/// </summary>
internal static class DriftTestData
{
    public const string Model = "synthetic";

    private static readonly (string Color, double Cumulative)[] Colors = [("red", 0.5), ("green", 0.8), ("blue", 0.95), ("grey", 1.0)];

    public static ModelConfig Config(string? monitoring = null) => new() { Name = Model, MaxBatchSize = 64, Monitoring = monitoring };

    /// <summary>One standard normal value (Box–Muller).</summary>
    public static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A request of <paramref name="rows"/> rows and its response; <paramref name="shift"/> is added to x[1].</summary>
    public static InferenceObservation Observation(Random random, int rows, double shift = 0, string version = "1", ModelConfig? config = null)
    {
        var x = new float[rows * 3];
        var amount = new double[rows];
        var colors = new string[rows];
        var score = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            x[i * 3] = (float)Normal(random);
            x[(i * 3) + 1] = (float)(Normal(random) + shift);
            x[(i * 3) + 2] = (float)Normal(random);
            amount[i] = Normal(random);
            var u = random.NextDouble();
            colors[i] = Colors.First(c => u < c.Cumulative).Color;
            score[i] = x[i * 3] + x[(i * 3) + 1];
        }

        return Observation(
            [Floats("x", [rows, 3], x), Doubles("amount", amount), Strings("color", colors)],
            [Floats("score", [rows], score)],
            version,
            config);
    }

    public static InferenceObservation Observation(IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<InferenceTensor> outputs, string version = "1", ModelConfig? config = null)
    {
        config ??= Config();
        var request = new InferenceRequest(config.Name, null, null, inputs, [], new Dictionary<string, ParameterValue>());
        var response = new InferenceResponse(config.Name, version, "id", outputs, outputs.Select(_ => (RequestedOutput?)null).ToArray());
        return new InferenceObservation(request, response, config, "id", 1000, DateTimeOffset.UnixEpoch, FromCache: false);
    }

    /// <summary>The profile of <paramref name="rows"/> unshifted rows, built by <see cref="ProfileBuilder"/> through the extractor.</summary>
    public static ReferenceProfile Profile(int seed, int rows)
    {
        var random = new Random(seed);
        var builder = new ProfileBuilder();
        for (var done = 0; done < rows; done += 1000)
        {
            builder.Add(FeatureExtractor.Extract(Observation(random, Math.Min(1000, rows - done))));
        }

        return builder.Build(Model, "1", DateTimeOffset.UnixEpoch);
    }

    /// <summary>Writes <paramref name="profile"/> as <c>&lt;repository&gt;/synthetic/profile.json</c>.</summary>
    public static void WriteProfile(string repository, ReferenceProfile profile, string file = "profile.json")
    {
        var folder = Path.Combine(repository, Model);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, file), ReferenceProfileJson.Write(profile));
    }

    public static InferenceTensor Floats(string name, long[] shape, float[] values)
    {
        var data = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), values[i]);
        }

        return new InferenceTensor(name, DataType.Fp32, shape, data);
    }

    public static InferenceTensor Doubles(string name, double[] values)
    {
        var data = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), values[i]);
        }

        return new InferenceTensor(name, DataType.Fp64, [values.Length], data);
    }

    public static InferenceTensor Strings(string name, string[] values) =>
        new(name, DataType.Bytes, [values.Length], BytesTensor.EncodeStrings(values));

    public static InferenceTensor Bools(string name, bool[] values) =>
        new(name, DataType.Bool, [values.Length], values.Select(v => (byte)(v ? 1 : 0)).ToArray());
}
