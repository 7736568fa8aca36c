namespace Inferd.Monitoring.Alerts;

/// <summary>
/// One threshold from the alerts file: fires while a matching signal is above <see cref="Above"/> or below
/// <see cref="Below"/> (strictly), and resolves when it is back within them.
/// </summary>
/// <param name="Name">Unique rule name.</param>
/// <param name="Kind">drift, accuracy, fairness or error_rate.</param>
/// <param name="Model">Model name, or a pattern with <c>*</c> (<c>*</c> alone: every model).</param>
/// <param name="Version">Only this version, or null for all.</param>
/// <param name="Signal">Signal name, or a pattern with <c>*</c> (e.g. <c>*.psi</c>).</param>
/// <param name="Above">Upper bound, or null.</param>
/// <param name="Below">Lower bound, or null.</param>
internal sealed record AlertRule(string Name, string Kind, string Model, string? Version, string Signal, double? Above, double? Below)
{
    /// <summary>Whether the rule watches <paramref name="signal"/>.</summary>
    public bool Matches(AlertSignal signal) =>
        signal.Kind == Kind
        && Glob(Model, signal.Model)
        && (Version is null || Version == signal.Version)
        && Glob(Signal, signal.Name);

    /// <summary>Whether <paramref name="value"/> is outside the bounds; NaN never is (no figure, no alert).</summary>
    public bool IsCrossed(double value) => (Above is { } above && value > above) || (Below is { } below && value < below);

    /// <summary>The bound a value is compared with for the webhook: the one it crossed, else the upper one when set.</summary>
    public double Threshold(double value) =>
        Below is { } below && (value < below || Above is null) ? below : Above ?? double.NaN;

    /// <summary>Matches <paramref name="text"/> against <paramref name="pattern"/>, where <c>*</c> stands for any run of characters.</summary>
    public static bool Glob(string pattern, string text)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return pattern == text;
        }

        if (!text.StartsWith(parts[0], StringComparison.Ordinal) || !text.EndsWith(parts[^1], StringComparison.Ordinal)
            || text.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var position = parts[0].Length;
        var end = text.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = text.IndexOf(parts[i], position, end - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        return true;
    }
}
