using Inferd.Explain.Evaluation;

namespace Inferd.Explain.Shap;

/// <summary>
/// The value function of Kernel SHAP: v(S) = mean over background rows b of f(x_S, b_~S), the model's output with the
/// features in S taken from the explained row and the rest from b. Rows are built and evaluated in blocks, so an
/// exact explanation over a million rows never holds more than two blocks in memory.
/// </summary>
internal static class CoalitionValues
{
    // About 8k rows per block: a block of a 10-feature FP32 row is ~0.5 MB of cells and row objects, and still holds
    // 32 calls of 256 rows, enough to keep the evaluator's calls in flight between blocks.
    private const int TargetBlockRows = 8192;

    /// <summary>Evaluates v for <paramref name="coalitions"/> coalitions; costs coalitions × background rows evaluations.</summary>
    /// <param name="context">The explanation (row, layout, evaluator).</param>
    /// <param name="background">Background rows.</param>
    /// <param name="coalitions">How many coalitions.</param>
    /// <param name="members">Fills, for coalition <c>c</c>, which features come from the explained row.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>v of each coalition, in order.</returns>
    public static async Task<double[]> EvaluateAsync(
        ExplanationContext context,
        IReadOnlyList<InputRow> background,
        int coalitions,
        Action<int, bool[]> members,
        CancellationToken cancellationToken)
    {
        var layout = context.Layout;
        var evaluator = context.Evaluator;
        var per = evaluator.RowsPerCall;
        // Whole calls per block, so only the last block of all can end in a partial batch.
        var blockRows = Math.Max(per, TargetBlockRows / per * per);
        var b = background.Count;
        var sums = new double[coalitions];
        var fromX = new bool[layout.Count];
        var total = (long)coalitions * b;
        var next = 0L;
        Task<double[]>? pending = null;
        var pendingStart = 0L;
        var filled = -1;
        while (next < total)
        {
            var count = (int)Math.Min(blockRows, total - next);
            var rows = new InputRow[count];
            for (var r = 0; r < count; r++)
            {
                var g = next + r;
                var c = (int)(g / b);
                if (c != filled)
                {
                    members(c, fromX);
                    filled = c;
                }

                rows[r] = layout.Mix(context.Row, background[(int)(g % b)], fromX);
            }

            // The previous block's calls ran while this one was built.
            if (pending is not null)
            {
                Accumulate(await pending.ConfigureAwait(false), pendingStart, b, sums);
            }

            pending = evaluator.EvaluateAsync(rows, cancellationToken);
            pendingStart = next;
            next += count;
        }

        if (pending is not null)
        {
            Accumulate(await pending.ConfigureAwait(false), pendingStart, b, sums);
        }

        for (var c = 0; c < sums.Length; c++)
        {
            sums[c] /= b;
        }

        return sums;
    }

    private static void Accumulate(double[] results, long start, int backgroundRows, double[] sums)
    {
        for (var r = 0; r < results.Length; r++)
        {
            sums[(int)((start + r) / backgroundRows)] += results[r];
        }
    }
}
