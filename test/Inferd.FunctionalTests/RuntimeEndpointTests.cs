using System.Net;
using System.Text.Json;
using Inferd.Testing;

namespace Inferd.FunctionalTests;

/// <summary><c>GET /v2/inferd/runtime</c>: the GC counters the benchmark suite divides by requests (benchmarks.md, G8).</summary>
public sealed class RuntimeEndpointTests(StandardServer fixture) : IClassFixture<StandardServer>
{
    private static readonly string[] Fields = ["allocated_bytes", "gen0", "gen1", "gen2", "heap_bytes", "loh_bytes"];

    private async Task<JsonElement> GetRuntimeAsync()
    {
        var (status, body, contentType) = await RestHelpers.SendAsync(fixture.Server, new HttpRequestMessage(HttpMethod.Get, "/v2/inferd/runtime"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Get_Runtime_AnswersEveryCounterAsNonNegativeInteger()
    {
        var json = await GetRuntimeAsync();

        Assert.Equal(Fields, json.EnumerateObject().Select(p => p.Name));
        foreach (var field in Fields)
        {
            Assert.True(json.GetProperty(field).GetInt64() >= 0, field);
        }
    }

    [Fact]
    public async Task Get_RuntimeAroundInferences_AllocatedBytesAndCountsNeverDecrease()
    {
        var before = await GetRuntimeAsync();
        for (var i = 0; i < 20; i++)
        {
            var (status, _, _) = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody));
            Assert.Equal(HttpStatusCode.OK, status);
        }

        var after = await GetRuntimeAsync();

        Assert.True(after.GetProperty("allocated_bytes").GetInt64() > before.GetProperty("allocated_bytes").GetInt64());
        foreach (var gen in new[] { "gen0", "gen1", "gen2" })
        {
            Assert.True(after.GetProperty(gen).GetInt64() >= before.GetProperty(gen).GetInt64(), gen);
        }
    }

    [Fact]
    public async Task Post_Runtime_Answers405()
    {
        var (status, body, _) = await RestHelpers.SendAsync(fixture.Server, new HttpRequestMessage(HttpMethod.Post, "/v2/inferd/runtime"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("""{"error":"method not allowed"}""", body);
    }
}
