namespace Inferd.Zoo.Training;

/// <summary>Held-out metrics, computed here (not by ML.NET) so tests can recompute them from <c>heldout.jsonl</c> the same way.</summary>
internal static class Metrics
{
    /// <summary>The probability at or above which a binary model says "positive" (the served <c>threshold</c> step's default).</summary>
    public const double Threshold = 0.5;

    /// <summary>Share of rows whose thresholded probability equals the truth.</summary>
    public static double Accuracy(IReadOnlyList<bool> truth, IReadOnlyList<double> probability) =>
        Enumerable.Range(0, truth.Count).Count(i => (probability[i] >= Threshold) == truth[i]) / (double)truth.Count;

    /// <summary>Share of positives found at the threshold.</summary>
    public static double Recall(IReadOnlyList<bool> truth, IReadOnlyList<double> probability)
    {
        var positives = Enumerable.Range(0, truth.Count).Where(i => truth[i]).ToArray();
        return positives.Length == 0 ? double.NaN : positives.Count(i => probability[i] >= Threshold) / (double)positives.Length;
    }

    /// <summary>Area under the ROC curve: the Mann-Whitney statistic with ties counted half.</summary>
    public static double Auc(IReadOnlyList<bool> truth, IReadOnlyList<double> score)
    {
        var order = Enumerable.Range(0, truth.Count).OrderBy(i => score[i]).ToArray();
        double rankSum = 0;
        var positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && score[order[end + 1]] == score[order[start]])
            {
                end++;
            }

            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (truth[order[k]])
                {
                    rankSum += rank;
                    positives++;
                }
            }

            start = end + 1;
        }

        var negatives = truth.Count - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Coefficient of determination against the held-out mean.</summary>
    public static double R2(IReadOnlyList<double> truth, IReadOnlyList<double> prediction)
    {
        var mean = truth.Average();
        var residual = Enumerable.Range(0, truth.Count).Sum(i => Square(truth[i] - prediction[i]));
        var total = truth.Sum(t => Square(t - mean));
        return 1 - residual / total;
    }

    /// <summary>Root mean squared error.</summary>
    public static double Rmse(IReadOnlyList<double> truth, IReadOnlyList<double> prediction) =>
        Math.Sqrt(Enumerable.Range(0, truth.Count).Average(i => Square(truth[i] - prediction[i])));

    /// <summary>Mean absolute error.</summary>
    public static double Mae(IReadOnlyList<double> truth, IReadOnlyList<double> prediction) =>
        Enumerable.Range(0, truth.Count).Average(i => Math.Abs(truth[i] - prediction[i]));

    private static double Square(double x) => x * x;
}
