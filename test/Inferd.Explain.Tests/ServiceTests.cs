using Inferd.Abstractions.Inference;
using Inferd.Testing;

namespace Inferd.Explain.Tests;

/// <summary>The service's own checks, before any explainer runs.</summary>
public sealed class ServiceTests
{
    [Fact]
    public async Task ExplainAsync_UnknownMethod_InvalidNamingTheMethods()
    {
        await using var repository = new ExplainRepository()
            .Model("lin", ExplainModels.VectorConfig("lin", 3), [("model.onnx", ExplainModels.Linear([1, 2, 3], 0.5))]);
        using var service = await repository.StartAsync([]);
        var request = ExplainRepository.VectorRow("lin", "x", [1, 2, 3]) with { Method = "magic" };
        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(request, CancellationToken.None)).DefaultTimeout();
        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("unknown explanation method 'magic'", error.Message, StringComparison.Ordinal);
    }
}
