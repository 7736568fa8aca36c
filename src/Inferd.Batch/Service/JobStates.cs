namespace Inferd.Batch.Service;

/// <summary>The wire and database names of <see cref="JobState"/>.</summary>
public static class JobStates
{
    /// <summary>The lower-case name (<c>queued</c>, <c>running</c>, <c>completed</c>, <c>failed</c>, <c>cancelled</c>).</summary>
    public static string ToName(this JobState state) => state switch
    {
        JobState.Queued => "queued",
        JobState.Running => "running",
        JobState.Completed => "completed",
        JobState.Failed => "failed",
        JobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Parses a name written by <see cref="ToName"/>.</summary>
    public static bool TryParse(string? name, out JobState state)
    {
        foreach (var candidate in Enum.GetValues<JobState>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.Ordinal))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>True for states a job never leaves.</summary>
    public static bool IsFinished(this JobState state) => state is JobState.Completed or JobState.Failed or JobState.Cancelled;
}
