using System.Text;
using Inferd.Testing;
using Inferd.Testing.Conformance;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Conformance;

/// <summary>
/// The ONNX backend conformance set (Debian libonnx-testdata, 1,072 models with golden inputs and outputs) through
/// the running server, over REST with binary tensors and over gRPC with raw contents. Every case that ONNX
/// Runtime runs correctly in-process must also pass through both protocols; the rest are listed with the reason.
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Conformance_EveryCaseOnnxRuntimeRunsInProcess_PassesOverRestAndGrpc()
    {
        if (!ConformanceSet.IsAvailable())
        {
            Assert.Skip("libonnx-testdata is not installed (apt-get install libonnx-testdata; eng/install-deps.sh does it)");
        }

        var cases = ConformanceSet.Enumerate();
        var skipped = new List<(string Name, string Reason)>();
        var runnable = new List<ConformanceCase>();
        foreach (var c in cases)
        {
            var reason = c.SkipReason ?? InProcessBaseline.Check(c);
            if (reason is null)
            {
                runnable.Add(c);
            }
            else
            {
                skipped.Add((c.Name, reason));
            }
        }

        await using var server = await InferdTestServer.StartAsync(root =>
        {
            foreach (var c in runnable)
            {
                ModelRepositoryBuilder.Add(root, ServedConformance.ModelName(c), File.ReadAllBytes(c.ModelPath),
                    """{"max_batch_size": 0, "parameters": {"intra_op_thread_count": {"string_value": "1"}}}""");
            }
        });

        var restFailures = new List<string>();
        var grpcFailures = new List<string>();
        foreach (var c in runnable)
        {
            var model = ServedConformance.ModelName(c);
            foreach (var set in c.DataSets)
            {
                if (await ServedConformance.RestBinaryAsync(server, model, set) is { } restError)
                {
                    restFailures.Add($"{c.Name}: {restError}");
                }

                if (await ServedConformance.GrpcRawAsync(server, model, set) is { } grpcError)
                {
                    grpcFailures.Add($"{c.Name}: {grpcError}");
                }
            }
        }

        var restPassed = runnable.Count - restFailures.Select(f => f.Split(':')[0]).Distinct().Count();
        var grpcPassed = runnable.Count - grpcFailures.Select(f => f.Split(':')[0]).Distinct().Count();
        var report = new StringBuilder();
        report.AppendLine($"ONNX conformance set: {cases.Count} models; ONNX Runtime runs {runnable.Count} correctly in-process");
        report.AppendLine($"REST binary: {restPassed} passed / {restFailures.Count} failed / {skipped.Count} skipped");
        report.AppendLine($"gRPC raw:    {grpcPassed} passed / {grpcFailures.Count} failed / {skipped.Count} skipped");
        report.AppendLine("Skipped, by reason:");
        foreach (var group in skipped.GroupBy(s => Category(s.Reason)).OrderByDescending(g => g.Count()))
        {
            report.AppendLine($"  {group.Count(),4}  {group.Key}: {string.Join(", ", group.Select(s => s.Name))}");
        }

        foreach (var f in restFailures.Concat(grpcFailures).Take(40))
        {
            report.AppendLine("FAILED " + f);
        }

        output.WriteLine(report.ToString());
        Directory.CreateDirectory(ArtifactsDirectory());
        await File.WriteAllTextAsync(Path.Combine(ArtifactsDirectory(), "conformance.txt"), report.ToString() + string.Join("\n", skipped.Select(s => $"skip {s.Name}: {s.Reason}")));
        Console.WriteLine(report.ToString());

        Assert.True(runnable.Count > 900, $"only {runnable.Count} cases ran in-process; the conformance set looks incomplete");
        Assert.True(restFailures.Count == 0 && grpcFailures.Count == 0, report.ToString());
        Assert.Empty(server.Errors);
    }

    private static string Category(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        var head = colon > 0 ? reason[..colon] : reason;
        return head.StartsWith("test_data_set", StringComparison.Ordinal) ? reason : head;
    }

    private static string ArtifactsDirectory() => Path.Combine(ForeignClients.ExternalProcess.RepositoryRoot(), "artifacts");
}
