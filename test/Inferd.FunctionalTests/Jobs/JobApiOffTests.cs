using System.Net;

namespace Inferd.FunctionalTests.Jobs;

/// <summary>Without <c>--data-dir</c> the job routes exist only to say how to turn them on.</summary>
public sealed class JobApiOffTests(StandardServer fixture) : IClassFixture<StandardServer>
{
    [Theory]
    [InlineData("GET", "/v2/inferd/jobs")]
    [InlineData("POST", "/v2/inferd/jobs")]
    [InlineData("GET", "/v2/inferd/jobs/0000000000000000")]
    [InlineData("POST", "/v2/inferd/schedules")]
    [InlineData("DELETE", "/v2/inferd/schedules/nightly")]
    public async Task Request_NoDataFolder_Answers404SayingToStartWithDataDir(string method, string path)
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, new HttpRequestMessage(new HttpMethod(method), path));

        RestHelpers.AssertError(answer, HttpStatusCode.NotFound, "--data-dir");
    }
}
