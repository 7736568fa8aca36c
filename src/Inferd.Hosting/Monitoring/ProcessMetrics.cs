using System.Diagnostics;
using Inferd.Core.Telemetry;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// Process and .NET runtime figures under the names Prometheus' client libraries use (<c>process_*</c>) and
/// <c>dotnet_*</c> ones (docs/metrics.md), read from BCL APIs on each scrape. Exceptions are counted from
/// <see cref="AppDomain.FirstChanceException"/> since this instance was created: the BCL keeps no such total.
/// </summary>
internal sealed class ProcessMetrics : IMetricsSource, IDisposable
{
    private readonly DateTimeOffset _started;
    private long _exceptions;

    public ProcessMetrics()
    {
        using var process = Process.GetCurrentProcess();
        _started = process.StartTime.ToUniversalTime();
        AppDomain.CurrentDomain.FirstChanceException += OnException;
    }

    /// <inheritdoc />
    public void Collect(PrometheusWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var process = Process.GetCurrentProcess();
        Write(writer, "process_cpu_seconds_total", "counter", "User and system CPU time of the process in seconds.", Environment.CpuUsage.TotalTime.TotalSeconds);
        Write(writer, "process_resident_memory_bytes", "gauge", "Resident memory (working set) in bytes.", process.WorkingSet64);
        Write(writer, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", process.VirtualMemorySize64);
        Write(writer, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.", _started.ToUnixTimeMilliseconds() / 1000.0);
        if (OpenFileDescriptors() is { } fds)
        {
            Write(writer, "process_open_fds", "gauge", "Open file descriptors (Linux).", fds);
        }

        Write(writer, "process_threads", "gauge", "Operating system threads of the process.", process.Threads.Count);

        writer.Family("dotnet_gc_collections_total", "counter", "Garbage collections by generation.");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            writer.Sample("dotnet_gc_collections_total", GC.CollectionCount(generation), ("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Write(writer, "dotnet_gc_heap_size_bytes", "gauge", "Bytes thought to be allocated on the managed heap.", GC.GetTotalMemory(forceFullCollection: false));
        Write(writer, "dotnet_gc_allocated_bytes_total", "counter", "Bytes allocated on the managed heap since the process started.", GC.GetTotalAllocatedBytes(precise: false));
        Write(writer, "dotnet_gc_pause_seconds_total", "counter", "Time the runtime was paused for garbage collection in seconds.", GC.GetTotalPauseDuration().TotalSeconds);
        Write(writer, "dotnet_threadpool_threads", "gauge", "Thread pool threads.", ThreadPool.ThreadCount);
        Write(writer, "dotnet_threadpool_queue_length", "gauge", "Work items queued to the thread pool and not yet started.", ThreadPool.PendingWorkItemCount);
        Write(writer, "dotnet_threadpool_completed_items_total", "counter", "Work items the thread pool has completed.", ThreadPool.CompletedWorkItemCount);
        Write(writer, "dotnet_monitor_lock_contention_total", "counter", "Times a thread waited for a contended lock.", Monitor.LockContentionCount);
        Write(writer, "dotnet_exceptions_total", "counter", "Exceptions thrown (first chance) since the server started.", Interlocked.Read(ref _exceptions));
    }

    public void Dispose() => AppDomain.CurrentDomain.FirstChanceException -= OnException;

    private void OnException(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e) => Interlocked.Increment(ref _exceptions);

    private static void Write(PrometheusWriter writer, string name, string type, string help, double value)
    {
        writer.Family(name, type, help);
        writer.Sample(name, value);
    }

    private static int? OpenFileDescriptors()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
