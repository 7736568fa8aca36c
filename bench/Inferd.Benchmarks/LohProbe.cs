using System.Diagnostics.Tracing;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Inferd.Benchmarks;

/// <summary>
/// <c>--loh-probe</c>: runs each small-tensor case (4 and 64 elements; noop and mlp) 2,000 times and reports what it
/// allocated on the large object heap, from the runtime's GCAllocationTick events (one per ~100 KB allocated per
/// heap kind, with the type that crossed the mark). Any LOH tick on a small case is a finding: G8 allows none.
/// </summary>
internal sealed class LohProbe : EventListener
{
    private const int Calls = 2_000;
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _large = new(StringComparer.Ordinal);
    private long _smallTicks;

    /// <summary>A case known to allocate on the LOH (parsing copies the raw image tensor), so the probe proves it sees it.</summary>
    private static readonly (Type, string, object[], bool) Control = (typeof(GrpcRequestBenchmarks), "Elements", [Payloads.Image], true);

    public static int Run()
    {
        using var probe = new LohProbe();
        var cases = new (Type Type, string Param, object[] Values)[]
        {
            (typeof(RestRequestBenchmarks), "Elements", [4, 64]),
            (typeof(RestResponseBenchmarks), "Elements", [4, 64]),
            (typeof(GrpcRequestBenchmarks), "Elements", [4, 64]),
            (typeof(GrpcResponseBenchmarks), "Elements", [4, 64]),
            (typeof(InferencePathBenchmarks), "Model", ["noop", "mlp"]),
        };
        var found = 0;
        foreach (var (type, param, values, control) in cases.Select(c => (c.Type, c.Param, c.Values, false)).Append(Control))
        {
            foreach (var value in values)
            {
                var instance = Activator.CreateInstance(type)!;
                type.GetProperty(param)!.SetValue(instance, value);
                Invoke<GlobalSetupAttribute>(instance);
                try
                {
                    foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null
                        && (!control || m.Name == nameof(GrpcRequestBenchmarks.ParseRawToCore))))
                    {
                        for (var i = 0; i < 100; i++)
                        {
                            Call(instance, method);
                        }

                        Thread.Sleep(1000);
                        probe.Reset();
                        for (var i = 0; i < Calls; i++)
                        {
                            Call(instance, method);
                        }

                        Thread.Sleep(1500);
                        var (small, large) = probe.Snapshot();
                        var verdict = large.Count == 0 ? "no LOH" : "LOH: " + string.Join(", ", large.Select(p => $"{p.Key} ×{p.Value}"));
                        found += large.Count == 0 || control ? 0 : 1;
                        var label = control ? " (control: a 588 KiB copy per call must show LOH ticks)" : "";
                        Console.WriteLine($"{type.Name}.{method.Name} [{param}={value}]{label}: {small} small-heap ticks, {verdict}");
                    }
                }
                finally
                {
                    Invoke<GlobalCleanupAttribute>(instance);
                }
            }
        }

        Console.WriteLine(found == 0 ? "No small case allocated on the large object heap." : $"{found} small cases allocated on the large object heap.");
        return 0;
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.Payload is null)
        {
            return;
        }

        var kind = Convert.ToUInt32(eventData.Payload[eventData.PayloadNames!.IndexOf("AllocationKind")], CultureInfo.InvariantCulture);
        var typeIndex = eventData.PayloadNames.IndexOf("TypeName");
        var typeName = typeIndex >= 0 ? eventData.Payload[typeIndex] as string ?? "?" : "?";
        lock (_gate)
        {
            if (kind == 0)
            {
                _smallTicks++;
            }
            else
            {
                _large[typeName] = _large.GetValueOrDefault(typeName) + 1;
            }
        }
    }

    private void Reset()
    {
        lock (_gate)
        {
            _smallTicks = 0;
            _large.Clear();
        }
    }

    private (long Small, Dictionary<string, long> Large) Snapshot()
    {
        lock (_gate)
        {
            return (_smallTicks, new Dictionary<string, long>(_large, StringComparer.Ordinal));
        }
    }

    private static void Invoke<TAttribute>(object instance)
        where TAttribute : Attribute
    {
        foreach (var method in instance.GetType().GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
        {
            method.Invoke(instance, null);
        }
    }

    private static void Call(object instance, MethodInfo method)
    {
        if (method.Invoke(instance, null) is Task task)
        {
            task.GetAwaiter().GetResult();
        }
    }
}
