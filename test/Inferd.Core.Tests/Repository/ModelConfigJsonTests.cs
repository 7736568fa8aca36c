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

    private const string Scheduling = """
        {
          "max_batch_size": 8,
          "input": [ { "name": "x", "data_type": "TYPE_FP32", "dims": [ 4 ] }, { "name": "t", "data_type": "TYPE_STRING", "dims": [ 1 ] } ],
          "dynamic_batching": {
            "priority_levels": "3", "default_priority_level": 2,
            "default_queue_policy": { "timeout_action": "DELAY", "default_timeout_microseconds": "100000", "allow_timeout_override": true, "max_queue_size": 1024 },
            "priority_queue_policy": {
              "1": { "timeout_action": 1, "default_timeout_microseconds": 5000, "max_queue_size": 16 },
              "3": { "timeout_action": "REJECT", "allow_timeout_override": true }
            }
          },
          "model_warmup": [
            { "name": "zeros", "batch_size": 8, "count": 3,
              "inputs": { "x": { "data_type": "TYPE_FP32", "dims": [ "4" ], "zero_data": true }, "t": { "data_type": "TYPE_STRING", "dims": [ 1 ], "random_data": true } } },
            { "name": "from_file", "batch_size": 1,
              "inputs": { "x": { "data_type": "TYPE_FP32", "dims": [ 4 ], "input_data_file": "x.bin" }, "t": { "data_type": "TYPE_STRING", "dims": [ 1 ], "input_data_file": "sub/t.bin" } } }
          ]
        }
        """;

    [Fact]
    public void Read_QueuePoliciesAndPriorities_ParsesEveryField()
    {
        var db = ModelConfigJson.Read(Scheduling, "m").Config.DynamicBatching!;

        Assert.Equal(3, db.PriorityLevels);
        Assert.Equal(2, db.DefaultPriorityLevel);
        Assert.Equal(new QueuePolicy(TimeoutAction.Delay, 100_000, true, 1024), db.DefaultQueuePolicy);
        Assert.Equal([1, 3], db.PriorityQueuePolicy.Keys.Order());
        Assert.Equal(new QueuePolicy(TimeoutAction.Delay, 5000, false, 16), db.PriorityQueuePolicy[1]);
        Assert.Equal(new QueuePolicy(TimeoutAction.Reject, 0, true, 0), db.PriorityQueuePolicy[3]);
    }

    [Fact]
    public void Read_NoQueuePolicy_KeepsDefaultThatHonoursRequestTimeouts()
    {
        var db = ModelConfigJson.Read("""{"dynamic_batching": {"max_queue_delay_microseconds": 100}}""", "m").Config.DynamicBatching!;

        Assert.Equal(0, db.PriorityLevels);
        Assert.Equal(0, db.DefaultPriorityLevel);
        Assert.Same(QueuePolicy.Default, db.DefaultQueuePolicy);
        Assert.True(db.DefaultQueuePolicy.AllowTimeoutOverride);
        Assert.Empty(db.PriorityQueuePolicy);
    }

    [Fact]
    public void Read_EmptyDefaultQueuePolicy_TakesTritonDefaults()
    {
        var db = ModelConfigJson.Read("""{"dynamic_batching": {"default_queue_policy": {}}}""", "m").Config.DynamicBatching!;

        Assert.Equal(new QueuePolicy(TimeoutAction.Reject, 0, false, 0), db.DefaultQueuePolicy);
    }

    [Theory]
    [InlineData("\"REJECT\"", TimeoutAction.Reject)]
    [InlineData("\"DELAY\"", TimeoutAction.Delay)]
    [InlineData("0", TimeoutAction.Reject)]
    [InlineData("1", TimeoutAction.Delay)]
    public void Read_TimeoutActionNameOrNumber_Parses(string value, TimeoutAction expected)
    {
        var json = """{"dynamic_batching": {"default_queue_policy": {"timeout_action": """ + value + "}}}";

        var db = ModelConfigJson.Read(json, "m").Config.DynamicBatching!;

        Assert.Equal(expected, db.DefaultQueuePolicy.TimeoutAction);
    }

    [Fact]
    public void Read_ModelWarmup_ParsesEveryField()
    {
        var warmup = ModelConfigJson.Read(Scheduling, "m").Config.ModelWarmup;

        Assert.Equal(2, warmup.Count);
        var zeros = warmup[0];
        Assert.Equal(("zeros", 8, 3), (zeros.Name, zeros.BatchSize, zeros.Count));
        Assert.Equal((DataType.Fp32, WarmupDataSource.Zero, (string?)null), (zeros.Inputs["x"].DataType, zeros.Inputs["x"].Source, zeros.Inputs["x"].FileName));
        Assert.Equal([4L], zeros.Inputs["x"].Dims);
        Assert.Equal((DataType.Bytes, WarmupDataSource.Random), (zeros.Inputs["t"].DataType, zeros.Inputs["t"].Source));
        var fromFile = warmup[1];
        Assert.Equal(("from_file", 1, 1), (fromFile.Name, fromFile.BatchSize, fromFile.Count));
        Assert.Equal((WarmupDataSource.File, "x.bin"), (fromFile.Inputs["x"].Source, fromFile.Inputs["x"].FileName));
        Assert.Equal("sub/t.bin", fromFile.Inputs["t"].FileName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(", \"count\": 0")]
    public void Read_WarmupCountZeroOrAbsent_RunsOnce(string count)
    {
        var json = $$"""{"model_warmup": [{"name": "w"{{count}}}]}""";

        var sample = Assert.Single(ModelConfigJson.Read(json, "m").Config.ModelWarmup);

        Assert.Equal(1, sample.Count);
        Assert.Equal(0, sample.BatchSize);
        Assert.Empty(sample.Inputs);
    }

    [Fact]
    public void Write_ThenRead_KeepsQueuePoliciesAndWarmup()
    {
        var first = ModelConfigJson.Read(Scheduling, "m").Config;

        var json = ModelConfigJson.Write(first);
        var again = ModelConfigJson.Read(json, "m").Config;

        AssertSameSchedulingAndWarmup(first, again);
        Assert.Equal(json, ModelConfigJson.Write(again));
    }

    [Fact]
    public void Write_DefaultQueuePolicy_EchoesTheEffectivePolicy()
    {
        var first = ModelConfigJson.Read("""{"dynamic_batching": {}}""", "m").Config;

        var again = ModelConfigJson.Read(ModelConfigJson.Write(first), "m").Config;

        Assert.Equal(QueuePolicy.Default, again.DynamicBatching!.DefaultQueuePolicy);
    }

    [Fact]
    public void Write_QueuePoliciesAndWarmup_UseTritonJsonShape()
    {
        var json = ModelConfigJson.Write(ModelConfigJson.Read(Scheduling, "m").Config);

        Assert.Contains("\"priority_levels\":3,\"default_priority_level\":2,", json, StringComparison.Ordinal);
        Assert.Contains(
            "\"default_queue_policy\":{\"timeout_action\":\"DELAY\",\"default_timeout_microseconds\":100000,\"allow_timeout_override\":true,\"max_queue_size\":1024}",
            json,
            StringComparison.Ordinal);
        Assert.Contains(
            "\"priority_queue_policy\":{\"1\":{\"timeout_action\":\"DELAY\",\"default_timeout_microseconds\":5000,\"allow_timeout_override\":false,\"max_queue_size\":16},\"3\":{",
            json,
            StringComparison.Ordinal);
        Assert.Contains(
            "{\"name\":\"zeros\",\"batch_size\":8,\"inputs\":{\"t\":{\"data_type\":\"TYPE_STRING\",\"dims\":[1],\"random_data\":true},\"x\":{\"data_type\":\"TYPE_FP32\",\"dims\":[4],\"zero_data\":true}},\"count\":3}",
            json,
            StringComparison.Ordinal);
        Assert.Contains("\"x\":{\"data_type\":\"TYPE_FP32\",\"dims\":[4],\"input_data_file\":\"x.bin\"}", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"dynamic_batching": {"priority_levels": -1}}""", "dynamic_batching.priority_levels must not be negative")]
    [InlineData("""{"dynamic_batching": {"priority_levels": 2, "default_priority_level": 3}}""", "dynamic_batching.default_priority_level 3 must be between 0 and priority_levels (2)")]
    [InlineData("""{"dynamic_batching": {"default_priority_level": 1}}""", "dynamic_batching.default_priority_level 1 must be between 0 and priority_levels (0)")]
    [InlineData("""{"dynamic_batching": {"default_priority_level": -1}}""", "dynamic_batching.default_priority_level must not be negative")]
    [InlineData("""{"dynamic_batching": {"priority_levels": 2, "priority_queue_policy": {"3": {}}}}""", "priority_queue_policy['3']: the key must be a priority level between 1 and priority_levels (2)")]
    [InlineData("""{"dynamic_batching": {"priority_levels": 2, "priority_queue_policy": {"0": {}}}}""", "priority_queue_policy['0']: the key must be a priority level")]
    [InlineData("""{"dynamic_batching": {"priority_levels": 2, "priority_queue_policy": {"one": {}}}}""", "priority_queue_policy['one']: the key must be a priority level")]
    [InlineData("""{"dynamic_batching": {"priority_queue_policy": {"1": {}}}}""", "priority_queue_policy['1']: priority_queue_policy needs priority_levels > 0")]
    [InlineData("""{"dynamic_batching": {"priority_levels": 2, "priority_queue_policy": {"1": {}, "01": {}}}}""", "priority level 1 is listed twice")]
    [InlineData("""{"dynamic_batching": {"priority_levels": 2, "priority_queue_policy": [1]}}""", "dynamic_batching.priority_queue_policy must be an object")]
    [InlineData("""{"dynamic_batching": {"priority_levels": 1, "priority_queue_policy": {"1": {"max_queue_size": -5}}}}""", "priority_queue_policy['1'].max_queue_size must not be negative")]
    [InlineData("""{"dynamic_batching": {"default_queue_policy": {"max_queue_size": -1}}}""", "dynamic_batching.default_queue_policy.max_queue_size must not be negative")]
    [InlineData("""{"dynamic_batching": {"default_queue_policy": {"default_timeout_microseconds": -1}}}""", "dynamic_batching.default_queue_policy.default_timeout_microseconds must not be negative")]
    [InlineData("""{"dynamic_batching": {"default_queue_policy": {"timeout_action": "DROP"}}}""", "dynamic_batching.default_queue_policy.timeout_action must be REJECT or DELAY")]
    [InlineData("""{"dynamic_batching": {"default_queue_policy": {"timeout_action": 2}}}""", "dynamic_batching.default_queue_policy.timeout_action must be REJECT or DELAY")]
    [InlineData("""{"dynamic_batching": {"default_queue_policy": {"priority": 1}}}""", "unknown field 'priority' in dynamic_batching.default_queue_policy")]
    [InlineData("""{"dynamic_batching": {"default_queue_policy": {"allow_timeout_override": 1}}}""", "allow_timeout_override must be true or false")]
    [InlineData("""{"model_warmup": {"name": "w"}}""", "model_warmup must be an array")]
    [InlineData("""{"model_warmup": [{"name": "w", "bogus": 1}]}""", "unknown field 'bogus' in model_warmup[0]")]
    [InlineData("""{"model_warmup": [{"name": "w", "batch_size": -1}]}""", "model_warmup[0] 'w'.batch_size must not be negative")]
    [InlineData("""{"model_warmup": [{"name": "w", "count": -1}]}""", "model_warmup[0] 'w'.count must not be negative")]
    [InlineData("""{"max_batch_size": 4, "model_warmup": [{"name": "w", "batch_size": 5}]}""", "model_warmup[0] 'w'.batch_size 5 is larger than max_batch_size 4")]
    [InlineData("""{"model_warmup": [{"name": "w", "batch_size": 5}], "max_batch_size": 4}""", "model_warmup[0] 'w'.batch_size 5 is larger than max_batch_size 4")]
    [InlineData("""{"max_batch_size": 0, "model_warmup": [{"name": "w", "batch_size": 2}]}""", "model_warmup[0] 'w'.batch_size 2 needs batching, but max_batch_size is 0")]
    [InlineData("""{"model_warmup": [{"batch_size": 1, "inputs": []}]}""", "model_warmup[0].inputs must be an object")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"dims": [1], "zero_data": true}}}]}""", "model_warmup[0] 'w'.inputs['x'].data_type is required")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"data_type": "TYPE_FLOAT", "zero_data": true}}}]}""", "model_warmup[0] 'w'.inputs['x'].data_type 'TYPE_FLOAT' is not a known TYPE_ value")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"data_type": "TYPE_INVALID", "zero_data": true}}}]}""", "'TYPE_INVALID' is not a known TYPE_ value")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"data_type": "TYPE_FP32", "dims": [-1], "zero_data": true}}}]}""", "model_warmup[0] 'w'.inputs['x'].dims must be sizes of 0 and more")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"data_type": "TYPE_FP32", "dims": [1]}}}]}""", "model_warmup[0] 'w'.inputs['x'] needs one of zero_data, random_data or input_data_file")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"data_type": "TYPE_FP32", "zero_data": true, "random_data": true}}}]}""", "may hold only one of zero_data, random_data or input_data_file, found zero_data and random_data")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"data_type": "TYPE_FP32", "zero_data": false}}}]}""", "model_warmup[0] 'w'.inputs['x'].zero_data must be true when given")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"data_type": "TYPE_FP32", "input_data_file": ""}}}]}""", "model_warmup[0] 'w'.inputs['x'].input_data_file must name a file")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"data_type": "TYPE_FP32", "input_data_file": "../../etc/passwd"}}}]}""", "model_warmup[0] 'w'.inputs['x'].input_data_file must be a relative file name")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"data_type": "TYPE_FP32", "input_data_file": "/etc/passwd"}}}]}""", "input_data_file must be a relative file name")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"data_type": "TYPE_FP32", "zero_data": true}, "x": {"data_type": "TYPE_FP32", "zero_data": true}}}]}""", "model_warmup[0] 'w'.inputs['x'] is listed twice")]
    [InlineData("""{"model_warmup": [{"name": "w", "inputs": {"x": {"data_type": "TYPE_FP32", "zero_data": true, "format": 1}}}]}""", "unknown field 'format' in model_warmup[0] 'w'.inputs['x']")]
    public void Read_BadSchedulingOrWarmup_ThrowsNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Read(json, "m"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    internal static void AssertSameSchedulingAndWarmup(ModelConfig expected, ModelConfig actual)
    {
        var a = expected.DynamicBatching!;
        var b = actual.DynamicBatching!;
        Assert.Equal(a.PreferredBatchSizes, b.PreferredBatchSizes);
        Assert.Equal((a.MaxQueueDelayMicroseconds, a.PreserveOrdering), (b.MaxQueueDelayMicroseconds, b.PreserveOrdering));
        Assert.Equal((a.PriorityLevels, a.DefaultPriorityLevel, a.DefaultQueuePolicy), (b.PriorityLevels, b.DefaultPriorityLevel, b.DefaultQueuePolicy));
        Assert.Equal(a.PriorityQueuePolicy.OrderBy(p => p.Key), b.PriorityQueuePolicy.OrderBy(p => p.Key));
        Assert.Equal(expected.ModelWarmup.Count, actual.ModelWarmup.Count);
        foreach (var (x, y) in expected.ModelWarmup.Zip(actual.ModelWarmup))
        {
            Assert.Equal((x.Name, x.BatchSize, x.Count), (y.Name, y.BatchSize, y.Count));
            Assert.Equal(x.Inputs.Keys.Order(StringComparer.Ordinal), y.Inputs.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, input) in x.Inputs)
            {
                var other = y.Inputs[name];
                Assert.Equal((input.DataType, input.Source, input.FileName), (other.DataType, other.Source, other.FileName));
                Assert.Equal(input.Dims, other.Dims);
            }
        }
    }
}
