using System.Buffers.Binary;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using Inferd.Testing;

namespace Inferd.Explain.Tests.Trees;

/// <summary>
/// Exact Shapley values by brute force, independent of the explainers: v(S) = mean over the background of
/// f(x on S, b elsewhere) for every one of the 2^players coalitions, each hybrid row run through the facade, then the
/// Shapley formula. Rows are given per player (a float, double, bool or string value).
/// </summary>
internal static class BruteForceShapley
{
    /// <summary>One model input: its name, type, which players fill it (one per element, in order) and a row's shape.</summary>
    public sealed record InputSpec(string Name, DataType Type, int[] Players, long[] RowShape);

    /// <summary>The exact Shapley values and v(∅) (the base value).</summary>
    public static async Task<(double[] Phi, double Empty)> ComputeAsync(
        IInferenceService facade, string model, InputSpec[] inputs, string output, int element, object[] x, IReadOnlyList<object[]> background)
    {
        var n = x.Length;
        var rows = new List<object[]>();
        for (var mask = 0; mask < 1 << n; mask++)
        {
            foreach (var b in background)
            {
                rows.Add(Enumerable.Range(0, n).Select(i => (mask & (1 << i)) != 0 ? x[i] : b[i]).ToArray());
            }
        }

        var values = new double[rows.Count];
        for (var start = 0; start < rows.Count; start += 64)
        {
            var chunk = rows.Skip(start).Take(64).ToArray();
            var tensors = inputs.Select(i => Tensor(i, chunk)).ToArray();
            var request = new InferenceRequest(model, null, null, tensors, [new RequestedOutput(output, new Dictionary<string, ParameterValue>())], new Dictionary<string, ParameterValue>());
            var response = await facade.InferAsync(request, CancellationToken.None).DefaultTimeout();
            var o = response.Outputs.Single(t => t.Name == output);
            var perRow = (int)(o.ElementCount / chunk.Length);
            for (var r = 0; r < chunk.Length; r++)
            {
                values[start + r] = Evaluation.CellCodec.Read(o.DataType, o.Data.Span, (r * perRow) + element);
            }
        }

        var v = new double[1 << n];
        for (var mask = 0; mask < v.Length; mask++)
        {
            v[mask] = values.Skip(mask * background.Count).Take(background.Count).Average();
        }

        var phi = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var mask = 0; mask < v.Length; mask++)
            {
                if ((mask & (1 << i)) != 0)
                {
                    continue;
                }

                var s = int.PopCount(mask);
                phi[i] += Factorial(s) * Factorial(n - s - 1) / Factorial(n) * (v[mask | (1 << i)] - v[mask]);
            }
        }

        return (phi, v[0]);
    }

    private static double Factorial(int k) => k <= 1 ? 1 : k * Factorial(k - 1);

    private static InferenceTensor Tensor(InputSpec input, object[][] rows)
    {
        var cells = rows.SelectMany(r => input.Players.Select(p => r[p])).ToArray();
        long[] shape = [rows.Length, .. input.RowShape];
        byte[] data;
        if (input.Type == DataType.Bytes)
        {
            var strings = cells.Select(c => Encoding.UTF8.GetBytes((string)c)).ToArray();
            data = new byte[strings.Sum(s => 4 + s.Length)];
            var at = 0;
            foreach (var s in strings)
            {
                BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(at), s.Length);
                s.CopyTo(data, at + 4);
                at += 4 + s.Length;
            }
        }
        else
        {
            data = new byte[cells.Length * input.Type.ElementSize()];
            for (var i = 0; i < cells.Length; i++)
            {
                Evaluation.CellCodec.Write(input.Type, data, i, Convert.ToDouble(cells[i], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return new InferenceTensor(input.Name, input.Type, shape, data);
    }
}
