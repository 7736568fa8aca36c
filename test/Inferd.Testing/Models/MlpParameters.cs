namespace Inferd.Testing.Models;

/// <summary>
/// Weights of <see cref="TestModels.Mlp"/>: Y = Relu(X·W1 + B1)·W2 + B2, row-major. <see cref="Evaluate"/> is a
/// plain C# reference to compare served outputs with (use a tolerance: summation order differs from ORT's).
/// </summary>
/// <param name="Inputs">Features per row.</param>
/// <param name="Hidden">Hidden units.</param>
/// <param name="Outputs">Outputs per row.</param>
/// <param name="W1">[Inputs, Hidden].</param>
/// <param name="B1">[Hidden].</param>
/// <param name="W2">[Hidden, Outputs].</param>
/// <param name="B2">[Outputs].</param>
public sealed record MlpParameters(int Inputs, int Hidden, int Outputs, float[] W1, float[] B1, float[] W2, float[] B2)
{
    /// <summary>The weights <see cref="TestModels.Mlp"/> uses for these sizes and seed.</summary>
    public static MlpParameters Create(int inputs, int hidden, int outputs, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        var random = new DeterministicRandom(seed);
        // 1/sqrt(fan-in) keeps activations O(1), so outputs are neither all zero nor huge.
        var w1 = random.NextSymmetric(inputs * hidden, 1f / MathF.Sqrt(inputs));
        var b1 = random.NextSymmetric(hidden, 0.1f);
        var w2 = random.NextSymmetric(hidden * outputs, 1f / MathF.Sqrt(hidden));
        var b2 = random.NextSymmetric(outputs, 0.1f);
        return new MlpParameters(inputs, hidden, outputs, w1, b1, w2, b2);
    }

    /// <summary>Runs the network on <paramref name="x"/> ([rows, Inputs], row-major); returns [rows, Outputs].</summary>
    public float[] Evaluate(ReadOnlySpan<float> x)
    {
        if (x.Length % Inputs != 0)
        {
            throw new ArgumentException($"Length {x.Length} is not a multiple of {Inputs}.", nameof(x));
        }

        var rows = x.Length / Inputs;
        var y = new float[rows * Outputs];
        var h = new float[Hidden];
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < Hidden; j++)
            {
                var sum = 0f;
                for (var i = 0; i < Inputs; i++)
                {
                    sum += x[r * Inputs + i] * W1[i * Hidden + j];
                }

                h[j] = MathF.Max(0f, sum + B1[j]);
            }

            for (var k = 0; k < Outputs; k++)
            {
                var sum = 0f;
                for (var j = 0; j < Hidden; j++)
                {
                    sum += h[j] * W2[j * Outputs + k];
                }

                y[r * Outputs + k] = sum + B2[k];
            }
        }

        return y;
    }
}
