using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;

namespace Inferd.Core.Tests.Repository;

public sealed class ModelConfigJsonTests
{
    private const string Full = """
        {
          "name": "churn", "backend": "onnxruntime", "max_batch_size": 64,
          "input": [ { "name": "features", "data_type": "TYPE_FP32", "dims": [ "12" ] } ],
          "output": [ { "name": "probability", "data_type": "TYPE_FP32", "dims": [ 1 ], "label_filename": "labels.txt" } ],
          "version_policy": { "latest": { "num_versions": 2 } },
          "instance_group": [ { "count": 2, "kind": "KIND_CPU" } ],
          "parameters": { "intra_op_thread_count": { "string_value": "1" } },
          "optimization": { "graph": { "level": 1 } },
          "dynamic_batching": { "max_queue_delay_microseconds": 500, "preferred_batch_size": [ 8, 16 ] }
        }
        """;

    [Fact]
    public void Read_FullConfig_ParsesEveryField()
    {
        var parsed = ModelConfigJson.Read(Full, "churn");

        var c = parsed.Config;
        Assert.True(parsed.HasMaxBatchSize);
        Assert.Equal(64, c.MaxBatchSize);
        Assert.Equal(DataType.Fp32, c.Inputs[0].DataType);
        Assert.Equal([12L], c.Inputs[0].Dims);
        Assert.Equal("labels.txt", c.Outputs[0].LabelFilename);
        Assert.Equal(VersionPolicyKind.Latest, c.VersionPolicy.Kind);
        Assert.Equal(2, c.VersionPolicy.NumVersions);
        Assert.Equal(2, c.InstanceGroups[0].Count);
        Assert.Equal(InstanceKind.Cpu, c.InstanceGroups[0].Kind);
        Assert.Equal(1, c.GetIntParameter("intra_op_thread_count"));
        Assert.Equal(1, c.GraphOptimizationLevel);
        Assert.Equal(500, c.DynamicBatching!.MaxQueueDelayMicroseconds);
    }

    [Fact]
    public void Write_ThenRead_GivesTheSameConfig()
    {
        var first = ModelConfigJson.Read(Full, "churn").Config;

        var again = ModelConfigJson.Read(ModelConfigJson.Write(first), "churn").Config;

        Assert.Equal(first.MaxBatchSize, again.MaxBatchSize);
        Assert.Equal(first.Inputs[0].Dims, again.Inputs[0].Dims);
        Assert.Equal(first.Outputs[0].LabelFilename, again.Outputs[0].LabelFilename);
        Assert.Equal(first.VersionPolicy.NumVersions, again.VersionPolicy.NumVersions);
        Assert.Equal(first.Parameters, again.Parameters);
    }

    [Fact]
    public void Write_Int64Fields_AreJsonNumbers()
    {
        var json = ModelConfigJson.Write(ModelConfigJson.Read(Full, "churn").Config);

        Assert.Contains("\"dims\":[12]", json, StringComparison.Ordinal);
        Assert.Contains("\"max_queue_delay_microseconds\":500", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"bogus": 1}""", "unknown field 'bogus'")]
    [InlineData("""{"name": "other"}""", "does not match the model directory")]
    [InlineData("""{"model_operations": {"op_library_filename": ["x.so"]}}""", "never allowed")]
    [InlineData("""{"output": [{"name": "y", "label_filename": "../../etc/passwd"}]}""", "relative file name")]
    [InlineData("""{"default_model_filename": "/etc/passwd"}""", "relative file name")]
    [InlineData("""{"input": [{"name": "x", "data_type": "TYPE_FLOAT"}]}""", "not a known TYPE_")]
    [InlineData("""{"max_batch_size": -1}""", "must not be negative")]
    [InlineData("""{"version_policy": {"specific": {"versions": []}}}""", "one or more version")]
    [InlineData("""{"sequence_batching": {"max_sequence_idle_microseconds": 5}}""", "sequence batching is not supported")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    [InlineData("""{"max_batch_size": """, "not valid JSON")]
    public void Read_BadConfig_ThrowsNamingTheProblem(string json, string expected)
    {
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Read(json, "m"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
