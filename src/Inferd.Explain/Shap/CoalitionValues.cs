using Inferd.Explain.Evaluation;

namespace Inferd.Explain.Shap;

/// <summary>
/// The value function of Kernel SHAP: v(S) = mean over background rows b of f(x_S, b_~S), the model's output with the
/// features in S taken from the explained row and the rest from b. Rows are built and evaluated in blocks, so an
/// exact explanation over a million rows never holds more than two blocks in memory.
/// </summary>
internal static class CoalitionValues
{
    // About 4k rows per block: a block of 10-feature FP32 rows is ~0.4 MB of cells and row objects (two blocks live at
    // once), and still holds 16 calls of 256 rows, enough to keep the evaluator's calls in flight.
    private const int TargetBlockRows = 4096;

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
        var evaluator = context.Evaluator;
        var per = evaluator.RowsPerCall;
        // Whole calls per block, so only the last block of all can end in a partial batch.
        var blockRows = Math.Max(per, TargetBlockRows / per * per);
        var builder = new BlockBuilder(context, background, members);
        var b = background.Count;
        var sums = new double[coalitions];
        var total = (long)coalitions * b;
        var rows = builder.Build(0, (int)Math.Min(blockRows, total));
        for (var start = 0L; start < total;)
        {
            var next = start + rows.Length;
            // The next block is built on another thread while this one's calls run (a call may run on this thread).
            var following = next < total ? Task.Run(() => builder.Build(next, (int)Math.Min(blockRows, total - next)), cancellationToken) : null;
            var results = await evaluator.EvaluateAsync(rows, cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < results.Length; r++)
            {
                sums[(int)((start + r) / b)] += results[r];
            }

            start = next;
            rows = following is null ? [] : await following.ConfigureAwait(false);
        }

        for (var c = 0; c < sums.Length; c++)
        {
            sums[c] /= b;
        }

        return sums;
    }

    /// <summary>Builds blocks of rows, one block at a time (it reuses one membership buffer).</summary>
    private sealed class BlockBuilder(ExplanationContext context, IReadOnlyList<InputRow> background, Action<int, bool[]> members)
    {
        private readonly bool[] _fromX = new bool[context.Layout.Count];

        /// <summary>Rows <paramref name="first"/> … first + count − 1, coalition-major: row g is coalition g ÷ B with background row g mod B.</summary>
        public InputRow[] Build(long first, int count)
        {
            var layout = context.Layout;
            var x = context.Row;
            var b = background.Count;
            var rows = new InputRow[count];
            var filled = -1;
            for (var r = 0; r < count; r++)
            {
                var g = first + r;
                var c = (int)(g / b);
                if (c != filled)
                {
                    members(c, _fromX);
                    filled = c;
                }

                rows[r] = layout.Mix(x, background[(int)(g % b)], _fromX);
            }

            return rows;
        }
    }
}
