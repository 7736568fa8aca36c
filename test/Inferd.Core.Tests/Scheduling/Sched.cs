using System.Runtime.InteropServices;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using Inferd.Core.Tests.Inference;
using Inferd.Testing;
using Inferd.Testing.Fakes;

namespace Inferd.Core.Tests.Scheduling;

/// <summary>Requests and readers for scheduler tests over the fake echo model <c>x FP32 [-1,4] → y</c>.</summary>
internal static class Sched
{
    /// <summary>
    /// A request of <paramref name="rows"/> rows whose every element is <c>tag*100 + row*10 + column</c>, so a run's
    /// merged input shows which request each row came from.
    /// </summary>
    public static InferenceRequest Tagged(string model, int tag, int rows = 1, params (string Key, ParameterValue Value)[] parameters)
    {
        var values = new float[rows * 4];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                values[(r * 4) + c] = (tag * 100) + (r * 10) + c;
            }
        }

        return new InferenceRequest(model, null, "r" + tag,
            [new InferenceTensor("x", DataType.Fp32, [rows, 4], MemoryMarshal.AsBytes(values.AsSpan()).ToArray())],
            [],
            parameters.ToDictionary(p => p.Key, p => p.Value));
    }

    public static (string Key, ParameterValue Value) Priority(long level) => ("priority", ParameterValue.FromInt64(level));

    public static (string Key, ParameterValue Value) Timeout(long microseconds) => ("timeout", ParameterValue.FromInt64(microseconds));

    /// <summary>The request tag of each row of a run (see <see cref="Tagged"/>).</summary>
    public static int[] RowTags(RecordedRun run) => Floats(run.Inputs[0].Data).Chunk(4).Select(row => (int)(row[0] / 100)).ToArray();

    public static float[] Floats(ReadOnlyMemory<byte> data) => MemoryMarshal.Cast<byte, float>(data.Span).ToArray();

    /// <summary>Asserts an echo response carries exactly the rows of its request.</summary>
    public static void AssertEchoes(InferenceRequest request, InferenceResponse response)
    {
        var output = Assert.Single(response.Outputs);
        Assert.Equal(request.Inputs[0].Shape, output.Shape);
        Assert.True(request.Inputs[0].Data.Span.SequenceEqual(output.Data.Span), $"request {request.Id} got rows {string.Join(",", Floats(output.Data))}, not its own {string.Join(",", Floats(request.Inputs[0].Data))}");
    }

    public static Task<InferenceResponse> Infer(this ServiceFixture f, InferenceRequest request, CancellationToken cancellationToken = default) =>
        f.Service!.InferAsync(request, cancellationToken);

    /// <summary>A fixture whose fake model <c>m</c> echoes through <paramref name="log"/>, with <paramref name="configJson"/>.</summary>
    public static async Task<ServiceFixture> StartEchoAsync(RunLog log, string? configJson, InferenceOptions? options = null)
    {
        var f = new ServiceFixture(Core.Repository.ModelControlMode.None, options: options);
        f.Backend.Run = log.EchoAsync;
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        if (configJson is not null)
        {
            f.Config("m", configJson);
        }

        await f.StartAsync();
        return f;
    }

    /// <summary>Starts a request that runs at once and stays in its run: the single instance is then busy.</summary>
    public static async Task<(InferenceRequest Request, Task<InferenceResponse> Call)> OccupyAsync(ServiceFixture f, RunLog log, params (string Key, ParameterValue Value)[] parameters)
    {
        var request = Tagged("m", 0, 1, parameters);
        var call = f.Infer(request);
        await log.StartedAsync(0).DefaultTimeout();
        return (request, call);
    }

    public static ulong Failures(this ServiceFixture f, string reason) => f.Stats("m").FailuresByReason[reason];
}
