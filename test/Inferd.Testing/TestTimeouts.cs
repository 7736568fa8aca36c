namespace Inferd.Testing;

/// <summary>Every await in a test is bounded, so a hang fails the test instead of the CI run.</summary>
public static class TestTimeouts
{
    /// <summary>Generous bound for one step on a loaded 2-core machine.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    /// <summary>Bounds a task with <see cref="Default"/>.</summary>
    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Default);

    /// <summary>Bounds a task with <see cref="Default"/>.</summary>
    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Default);
}
