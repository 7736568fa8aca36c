using Inferd.Abstractions.Configuration;

namespace Inferd.Bench.Batch;

/// <summary>
/// ONNX Runtime sessions and their threads for one model. <see cref="FromConfig"/> applies the server's rule
/// (OnnxRuntimeBackend, SessionOptionsFactory): one session per instance, <c>intra_op_thread_count</c> from the config
/// else cores ÷ instances, spinning only with a single session. The raw run copies it so both sides of the ratio
/// use the same cores the same way.
/// </summary>
/// <param name="Instances">Sessions.</param>
/// <param name="IntraOpThreads">Intra-op threads per session.</param>
/// <param name="Spinning">Whether idle intra-op threads spin.</param>
internal sealed record ThreadLayout(int Instances, int IntraOpThreads, bool Spinning)
{
    /// <summary>The layout the server gives <paramref name="config"/> on this machine.</summary>
    public static ThreadLayout FromConfig(ModelConfig config)
    {
        var instances = Math.Max(1, config.InstanceGroups.Sum(g => Math.Max(0, g.Count)));
        var threads = config.GetIntParameter("intra_op_thread_count") ?? Math.Max(1, Environment.ProcessorCount / instances);
        return new ThreadLayout(instances, threads, Spinning: instances == 1);
    }

    /// <summary>The layout in the backend's own words.</summary>
    public string Describe() => $"instances={Instances} intra_op_threads={IntraOpThreads} spinning={(Spinning ? "on" : "off")}";
}
