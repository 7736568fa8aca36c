using System.Reflection;

namespace Inferd.ArchitectureTests;

/// <summary>The project boundaries of style.md §1, checked on the built assemblies' references.</summary>
public sealed class DependencyRulesTests
{
    private static readonly Dictionary<string, string[]> Forbidden = new()
    {
        ["Inferd.Abstractions"] = ["Inferd.", "Microsoft.AspNetCore", "Microsoft.ML.OnnxRuntime", "Google.Protobuf", "Grpc."],
        ["Inferd.Core"] = ["Inferd.Backends", "Inferd.Protocol", "Inferd.Hosting", "Inferd.Client", "Microsoft.AspNetCore", "Microsoft.ML.OnnxRuntime", "Google.Protobuf", "Grpc."],
        ["Inferd.Backends.OnnxRuntime"] = ["Inferd.Core", "Inferd.Protocol", "Inferd.Hosting", "Microsoft.AspNetCore", "Google.Protobuf", "Grpc."],
        ["Inferd.Protocol"] = ["Inferd.Core", "Inferd.Hosting", "Inferd.Backends", "Microsoft.ML.OnnxRuntime"],
        ["Inferd.Hosting"] = ["Inferd.Backends", "Microsoft.ML.OnnxRuntime"],
        ["Inferd.Batch"] = ["Inferd.Hosting", "Inferd.Backends", "Microsoft.AspNetCore", "Microsoft.ML.OnnxRuntime"],
        ["Inferd.Processing"] = ["Inferd.Hosting", "Inferd.Backends", "Inferd.Protocol", "Inferd.Client", "Microsoft.AspNetCore", "Microsoft.ML.OnnxRuntime", "Grpc."],
        ["Inferd.Zoo"] = ["Inferd.Hosting", "Inferd.Protocol", "Inferd.Client", "Microsoft.AspNetCore", "Grpc."],
        ["Inferd.Monitoring"] = ["Inferd.Hosting", "Inferd.Backends", "Inferd.Protocol", "Inferd.Client", "Inferd.Processing", "Microsoft.AspNetCore", "Microsoft.ML.OnnxRuntime", "Grpc."],
        ["Inferd.Explain"] = ["Inferd.Hosting", "Inferd.Backends", "Inferd.Protocol", "Inferd.Client", "Inferd.Monitoring", "Microsoft.AspNetCore", "Microsoft.ML.OnnxRuntime", "Grpc."],
        ["Inferd.Client"] = ["Inferd.Core", "Inferd.Hosting", "Inferd.Backends", "Microsoft.ML.OnnxRuntime", "Microsoft.AspNetCore"],
    };

    public static TheoryData<string> Projects() => new(Forbidden.Keys);

    [Theory]
    [MemberData(nameof(Projects))]
    public void References_ProjectAssembly_StayInsideItsBoundary(string project)
    {
        var assembly = Assembly.Load(project);

        var references = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        var violations = references
            .Where(r => r != project && Forbidden[project].Any(f => r.StartsWith(f, StringComparison.Ordinal)))
            .ToArray();
        Assert.True(violations.Length == 0, $"{project} references {string.Join(", ", violations)}");
    }

    [Fact]
    public void OnlyTheBackendProject_ReferencesOnnxRuntime()
    {
        var all = Forbidden.Keys.Append("inferd").Select(Assembly.Load);

        var users = all.Where(a => a.GetReferencedAssemblies().Any(r => r.Name!.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal))).Select(a => a.GetName().Name).ToArray();

        // The zoo builder runs the models it trains in process to check them against the trainer, so it is the one
        // other project allowed to load ONNX Runtime (through the backend, never from the server's request path).
        Assert.Contains("Inferd.Backends.OnnxRuntime", users);
        Assert.All(users, u => Assert.Contains(u, new[] { "Inferd.Backends.OnnxRuntime", "Inferd.Zoo" }));
    }
}
