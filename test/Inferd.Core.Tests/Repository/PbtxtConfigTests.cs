using System.Text.Json;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;

namespace Inferd.Core.Tests.Repository;

public sealed class PbtxtConfigTests
{
    /// <summary>The example of protocol.md §11.1.</summary>
    private const string Example = """
        name: "churn"                      # optional; must equal the directory name
        backend: "onnxruntime"             # or platform: "onnxruntime_onnx"
        max_batch_size: 64                 # >0: full shape = [-1] + dims; 0: shape = dims, no batching
        input  [ { name: "features" data_type: TYPE_FP32 dims: [ 12 ] } ]
        output [ { name: "probability" data_type: TYPE_FP32 dims: [ 1 ] } ]
        version_policy: { latest: { num_versions: 2 } }
        dynamic_batching {
          max_queue_delay_microseconds: 500
          default_queue_policy { timeout_action: REJECT default_timeout_microseconds: 100000
                                 allow_timeout_override: true max_queue_size: 1024 }
        }
        instance_group [ { count: 2 kind: KIND_CPU } ]
        parameters { key: "intra_op_thread_count" value: { string_value: "1" } }
        """;

    [Fact]
    public void ToJson_ProtocolExample_ReadsAsModelConfig()
    {
        var json = PbtxtConfig.ToJson(Example);
        var parsed = ModelConfigJson.Read(json, "churn");

        var c = parsed.Config;
        Assert.True(parsed.HasMaxBatchSize);
        Assert.Equal(64, c.MaxBatchSize);
        var input = Assert.Single(c.Inputs);
        Assert.Equal("features", input.Name);
        Assert.Equal(DataType.Fp32, input.DataType);
        Assert.Equal([12L], input.Dims);
        Assert.Equal("probability", Assert.Single(c.Outputs).Name);
        Assert.Equal(VersionPolicyKind.Latest, c.VersionPolicy.Kind);
        Assert.Equal(2, c.VersionPolicy.NumVersions);
        Assert.Equal(500, c.DynamicBatching!.MaxQueueDelayMicroseconds);
        Assert.Equal(new QueuePolicy(TimeoutAction.Reject, 100_000, true, 1024), c.DynamicBatching.DefaultQueuePolicy);
        var group = Assert.Single(c.InstanceGroups);
        Assert.Equal(2, group.Count);
        Assert.Equal(InstanceKind.Cpu, group.Kind);
        Assert.Equal("1", c.Parameters["intra_op_thread_count"]);
    }

    [Fact]
    public void ToJson_ProtocolExample_WritesProtobufJsonShapes()
    {
        using var doc = JsonDocument.Parse(PbtxtConfig.ToJson(Example));
        var root = doc.RootElement;

        Assert.Equal(JsonValueKind.Array, root.GetProperty("input").ValueKind);
        Assert.Equal(12, root.GetProperty("input")[0].GetProperty("dims")[0].GetInt64());
        var policy = root.GetProperty("dynamic_batching").GetProperty("default_queue_policy");
        Assert.Equal("REJECT", policy.GetProperty("timeout_action").GetString());
        Assert.True(policy.GetProperty("allow_timeout_override").GetBoolean());
        Assert.Equal(100000, policy.GetProperty("default_timeout_microseconds").GetInt64());
        Assert.Equal("1", root.GetProperty("parameters").GetProperty("intra_op_thread_count").GetProperty("string_value").GetString());
    }

    [Fact]
    public void ToJson_RepeatedBlocksAndBracketList_GiveSameJson()
    {
        const string blocks = """
            input { name: "a" data_type: TYPE_FP32 dims: 2 dims: 3 }
            input { name: "b", data_type: TYPE_INT64; dims: [ -1 ] }
            instance_group { count: 1 kind: KIND_CPU }
            """;
        const string brackets = """
            input: [ { name: "a" data_type: TYPE_FP32 dims: [ 2, 3 ] }, { name: "b" data_type: TYPE_INT64 dims [ -1 ] } ]
            instance_group [ { count: 1, kind: KIND_CPU } ]
            """;

        Assert.Equal(PbtxtConfig.ToJson(brackets), PbtxtConfig.ToJson(blocks));
        Assert.Equal(
            """{"input":[{"name":"a","data_type":"TYPE_FP32","dims":[2,3]},{"name":"b","data_type":"TYPE_INT64","dims":[-1]}],"instance_group":[{"count":1,"kind":"KIND_CPU"}]}""",
            PbtxtConfig.ToJson(blocks));
    }

    [Fact]
    public void ToJson_BracketThenBlock_AppendsToOneArray()
    {
        var json = PbtxtConfig.ToJson("""input [ { name: "a" } ] input { name: "b" } output []""");

        Assert.Equal("""{"input":[{"name":"a"},{"name":"b"}],"output":[]}""", json);
    }

    [Fact]
    public void ToJson_MapWithSeveralKeys_BecomesOneObject()
    {
        const string text = """
            parameters { key: "intra_op_thread_count" value: { string_value: "2" } }
            parameters: { key: 'inter_op_thread_count', value { string_value: "1" } }
            parameters [ { key: "execution_mode" value: { string_value: "0" } } ]
            """;

        var c = ModelConfigJson.Read(PbtxtConfig.ToJson(text), "m").Config;

        Assert.Equal(3, c.Parameters.Count);
        Assert.Equal("2", c.Parameters["intra_op_thread_count"]);
        Assert.Equal("1", c.Parameters["inter_op_thread_count"]);
        Assert.Equal("0", c.Parameters["execution_mode"]);
    }

    [Fact]
    public void ToJson_NestedStringMapsAndIntegerKeys_WriteObjects()
    {
        const string text = """
            metric_tags { key: "team" value: "ml" }
            dynamic_batching { priority_levels: 1 priority_queue_policy { key: 1 value { max_queue_size: 8 } } }
            optimization { execution_accelerators { gpu_execution_accelerator { name: "tensorrt" parameters { key: "precision_mode" value: "FP16" } } } }
            model_warmup [ { name: "w" batch_size: 1 inputs { key: "x" value: { data_type: TYPE_FP32 dims: [ 4 ] zero_data: true } } } ]
            """;

        var json = PbtxtConfig.ToJson(text);

        Assert.Equal(
            """{"metric_tags":{"team":"ml"},"dynamic_batching":{"priority_levels":1,"priority_queue_policy":{"1":{"max_queue_size":8}}},"optimization":{"execution_accelerators":{"gpu_execution_accelerator":[{"name":"tensorrt","parameters":{"precision_mode":"FP16"}}]}},"model_warmup":[{"name":"w","batch_size":1,"inputs":{"x":{"data_type":"TYPE_FP32","dims":[4],"zero_data":true}}}]}""",
            json);
        ModelConfigJson.Read(json, "m");
    }

    [Fact]
    public void ToJson_QueuePoliciesAndWarmup_ReadEveryField()
    {
        const string text = """
            max_batch_size: 8
            dynamic_batching {
              priority_levels: 3
              default_priority_level: 2
              default_queue_policy { timeout_action: DELAY default_timeout_microseconds: 2000 max_queue_size: 64 }
              priority_queue_policy { key: 1 value: { timeout_action: REJECT default_timeout_microseconds: 500 allow_timeout_override: true max_queue_size: 4 } }
              priority_queue_policy [ { key: 3 value { timeout_action: DELAY } } ]
            }
            model_warmup [
              {
                name: "mixed"
                batch_size: 8
                inputs { key: "INPUT0" value: { data_type: TYPE_FP32 dims: [ 4 ] zero_data: true } }
                inputs { key: "INPUT1" value: { data_type: TYPE_INT64 dims: 2 dims: 3 random_data: true } }
                inputs [ { key: "INPUT2" value: { data_type: TYPE_STRING dims: [ 1 ] input_data_file: "text.bin" } } ]
                count: 5
              }
            ]
            model_warmup { name: "once" batch_size: 1 }
            """;

        var c = ModelConfigJson.Read(PbtxtConfig.ToJson(text), "m").Config;

        var db = c.DynamicBatching!;
        Assert.Equal((3, 2), (db.PriorityLevels, db.DefaultPriorityLevel));
        Assert.Equal(new QueuePolicy(TimeoutAction.Delay, 2000, false, 64), db.DefaultQueuePolicy);
        Assert.Equal(2, db.PriorityQueuePolicy.Count);
        Assert.Equal(new QueuePolicy(TimeoutAction.Reject, 500, true, 4), db.PriorityQueuePolicy[1]);
        Assert.Equal(new QueuePolicy(TimeoutAction.Delay, 0, false, 0), db.PriorityQueuePolicy[3]);
        Assert.Equal(2, c.ModelWarmup.Count);
        var mixed = c.ModelWarmup[0];
        Assert.Equal(("mixed", 8, 5), (mixed.Name, mixed.BatchSize, mixed.Count));
        Assert.Equal((DataType.Fp32, WarmupDataSource.Zero), (mixed.Inputs["INPUT0"].DataType, mixed.Inputs["INPUT0"].Source));
        Assert.Equal([4L], mixed.Inputs["INPUT0"].Dims);
        Assert.Equal((DataType.Int64, WarmupDataSource.Random), (mixed.Inputs["INPUT1"].DataType, mixed.Inputs["INPUT1"].Source));
        Assert.Equal([2L, 3], mixed.Inputs["INPUT1"].Dims);
        Assert.Equal((DataType.Bytes, WarmupDataSource.File, "text.bin"), (mixed.Inputs["INPUT2"].DataType, mixed.Inputs["INPUT2"].Source, mixed.Inputs["INPUT2"].FileName));
        Assert.Equal(("once", 1, 1), (c.ModelWarmup[1].Name, c.ModelWarmup[1].BatchSize, c.ModelWarmup[1].Count));
        Assert.Empty(c.ModelWarmup[1].Inputs);

        var again = ModelConfigJson.Read(ModelConfigJson.Write(c), "m").Config;
        ModelConfigJsonTests.AssertSameSchedulingAndWarmup(c, again);
    }

    [Theory]
    [InlineData("""dynamic_batching { priority_levels: 2 priority_queue_policy { key: 5 value { } } }""", "priority_queue_policy['5']: the key must be a priority level between 1 and priority_levels (2)")]
    [InlineData("""dynamic_batching { default_queue_policy { timeout_action: DROP } }""", "dynamic_batching.default_queue_policy.timeout_action must be REJECT or DELAY")]
    [InlineData("""model_warmup { name: "w" inputs { key: "x" value { data_type: TYPE_FP32 dims: 1 zero_data: true random_data: true } } }""", "model_warmup[0] 'w'.inputs['x'] may hold only one of")]
    [InlineData("""model_warmup { name: "w" inputs { key: "x" value { data_type: TYPE_FP32 input_data_file: "../secret" } } }""", "model_warmup[0] 'w'.inputs['x'].input_data_file must be a relative file name")]
    public void ToJson_BadQueuePolicyOrWarmup_ReadThrowsNamingTheField(string text, string expected)
    {
        var json = PbtxtConfig.ToJson(text);

        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Read(json, "m"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_CommentsQuotesAndEscapes_AreDecoded()
    {
        const string text = """
            # leading comment
            name: 'm' # trailing comment with "quotes" and { braces
            default_model_filename: "mo" 'del' ".onnx"
            parameters { key: "k" value { string_value: "a\"b\'c\\d\n\t\x41\101\u00e9" } }
            """;

        using var doc = JsonDocument.Parse(PbtxtConfig.ToJson(text));

        Assert.Equal("m", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal("model.onnx", doc.RootElement.GetProperty("default_model_filename").GetString());
        Assert.Equal("a\"b'c\\d\n\tAAé", doc.RootElement.GetProperty("parameters").GetProperty("k").GetProperty("string_value").GetString());
    }

    [Theory]
    [InlineData("max_batch_size: 0x10", "16")]
    [InlineData("max_batch_size: -3", "-3")]
    [InlineData("max_batch_size: 18446744073709551615", "18446744073709551615")]
    [InlineData("max_batch_size: 1.5", "1.5")]
    [InlineData("max_batch_size: -2.5e3", "-2.5E+3")]
    [InlineData("max_batch_size: .5f", "0.5")]
    [InlineData("max_batch_size: -inf", "\"-Infinity\"")]
    [InlineData("max_batch_size: True", "true")]
    [InlineData("max_batch_size: false", "false")]
    [InlineData("max_batch_size: FORMAT_NCHW", "\"FORMAT_NCHW\"")]
    public void ToJson_Scalars_WriteJsonValues(string text, string expected)
    {
        var json = PbtxtConfig.ToJson(text);

        using var doc = JsonDocument.Parse(json);
        using var want = JsonDocument.Parse(expected);
        var got = doc.RootElement.GetProperty("max_batch_size");
        Assert.Equal(want.RootElement.ValueKind, got.ValueKind);
        if (got.ValueKind == JsonValueKind.Number)
        {
            Assert.Equal(want.RootElement.GetDecimal(), got.GetDecimal());
        }
        else
        {
            Assert.Equal(want.RootElement.ToString(), got.ToString());
        }
    }

    [Fact]
    public void ToJson_Empty_IsEmptyObject()
    {
        Assert.Equal("{}", PbtxtConfig.ToJson("  # nothing\n"));
    }

    [Theory]
    [InlineData("name: \"abc", 1, 7, "unterminated string")]
    [InlineData("name: \"a\nb\"", 1, 7, "unterminated string")]
    [InlineData("input { name: \"a\"", 1, 7, "missing '}'")]
    [InlineData("input { name: \"a\" } }", 1, 21, "expected a field name")]
    [InlineData("name: \"a\"\nmax_batch_size: 4 )", 2, 19, "unexpected character")]
    [InlineData("name: \"a\"\n  42", 2, 3, "expected a field name")]
    [InlineData("name \"a\"", 1, 6, "expected ':'")]
    [InlineData("name: \"a\" name: \"b\"", 1, 11, "given more than once")]
    [InlineData("max_batch_size: [ 1 ]", 1, 17, "not repeated")]
    [InlineData("dims: [ 1 2 ]", 1, 11, "expected ',' or ']'")]
    [InlineData("max_batch_size: 12abc", 1, 17, "invalid number")]
    [InlineData("max_batch_size: 012", 1, 17, "octal")]
    [InlineData("max_batch_size: 99999999999999999999", 1, 17, "out of range")]
    [InlineData("name: \"\\q\"", 1, 8, "unknown escape")]
    [InlineData("parameters { key: \"a\" other: 1 }", 1, 23, "only 'key' and 'value'")]
    [InlineData("parameters: \"a\"", 1, 13, "map field")]
    [InlineData("[ext.field]: 1", 1, 1, "expected a field name")]
    public void ToJson_SyntaxError_ThrowsWithLineAndColumn(string text, int line, int column, string fragment)
    {
        var ex = Assert.Throws<ModelConfigException>(() => PbtxtConfig.ToJson(text));

        Assert.Contains($"line {line}, column {column}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_Depth40_Throws()
    {
        var text = string.Concat(Enumerable.Repeat("a { ", 40)) + string.Concat(Enumerable.Repeat("} ", 40));

        var ex = Assert.Throws<ModelConfigException>(() => PbtxtConfig.ToJson(text));

        Assert.Contains("deeper than 31", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 1, column 127", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_Depth31_IsAccepted()
    {
        var text = string.Concat(Enumerable.Repeat("a { ", 31)) + string.Concat(Enumerable.Repeat("} ", 31));

        Assert.StartsWith("{\"a\":{\"a\":", PbtxtConfig.ToJson(text), StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_LongBadToken_IsClippedInMessage()
    {
        var token = new string('z', 5000);

        var ex = Assert.Throws<ModelConfigException>(() => PbtxtConfig.ToJson("name: \"a\" " + token));

        Assert.True(ex.Message.Length < 200, ex.Message);
    }

    [Fact]
    public void ToJson_OverOneMiB_Throws()
    {
        var text = "# " + new string('x', PbtxtConfig.MaxChars);

        var ex = Assert.Throws<ModelConfigException>(() => PbtxtConfig.ToJson(text));

        Assert.Contains("1 MiB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadConfigText_OnlyPbtxt_ReturnsJson()
    {
        using var repo = new TempRepo();
        repo.Write("m", "config.pbtxt", "max_batch_size: 8\ninput { name: \"x\" data_type: TYPE_FP32 dims: [ 3 ] }\n");

        var json = new RepositoryScanner(repo.Root).ReadConfigText("m");

        var c = ModelConfigJson.Read(json!, "m").Config;
        Assert.Equal(8, c.MaxBatchSize);
        Assert.Equal([3L], Assert.Single(c.Inputs).Dims);
    }

    [Fact]
    public void ReadConfigText_BothFiles_PrefersJson()
    {
        using var repo = new TempRepo();
        repo.Write("m", "config.pbtxt", "max_batch_size: 8");
        repo.Write("m", "config.json", """{ "max_batch_size": 2 }""");

        var json = new RepositoryScanner(repo.Root).ReadConfigText("m");

        Assert.Equal(2, ModelConfigJson.Read(json!, "m").Config.MaxBatchSize);
    }

    [Fact]
    public void ReadConfigText_BadPbtxt_ThrowsModelConfigException()
    {
        using var repo = new TempRepo();
        repo.Write("m", "config.pbtxt", "max_batch_size: 8\ninput {");

        var ex = Assert.Throws<ModelConfigException>(() => new RepositoryScanner(repo.Root).ReadConfigText("m"));

        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadConfigText_NoConfig_ReturnsNull()
    {
        using var repo = new TempRepo();
        Directory.CreateDirectory(Path.Combine(repo.Root, "m"));

        Assert.Null(new RepositoryScanner(repo.Root).ReadConfigText("m"));
    }

    private sealed class TempRepo : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("inferd-pbtxt-").FullName;

        public void Write(string model, string file, string text)
        {
            Directory.CreateDirectory(Path.Combine(Root, model));
            File.WriteAllText(Path.Combine(Root, model, file), text);
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
