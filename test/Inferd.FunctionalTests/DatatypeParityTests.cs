using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;
using Inferd.Testing;

namespace Inferd.FunctionalTests;

/// <summary>
/// Every datatype through every transport: REST JSON, REST binary, gRPC raw and gRPC typed give bit-identical
/// outputs (FP16 and BF16 have no JSON or typed form and travel binary/raw only).
/// </summary>
public sealed class DatatypeParityTests(DatatypeServer fixture) : IClassFixture<DatatypeServer>
{
    public static TheoryData<DataType> Types() => new(DataTypes.All);

    [Theory]
    [MemberData(nameof(Types))]
    public async Task RestBinary_EveryDatatype_ReturnsTheSameBytes(DataType type)
    {
        var data = SampleTensors.Data(type);
        var model = DatatypeServer.ModelName(type);
        var header = $$"""{"inputs":[{"name":"{{Testing.Models.TestModels.Input0}}","datatype":"{{type.ToWireName()}}","shape":[2,3],"parameters":{"binary_data_size":{{data.Length}}} }],"parameters":{"binary_data_output":true} }""";
        using var request = RestHelpers.Binary($"/v2/models/{model}/infer", header, data);

        using var response = await fixture.Server.Http.SendAsync(request).DefaultTimeout();
        var body = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        using var doc = JsonDocument.Parse(body.AsMemory(0, jsonLength));
        var output = doc.RootElement.GetProperty("outputs")[0];
        Assert.Equal(type.ToWireName(), output.GetProperty("datatype").GetString());
        Assert.Equal([2L, 3], output.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(data.Length, output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.Equal(data, body[jsonLength..]);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task RestJson_EveryJsonDatatype_ReturnsTheSameValues(DataType type)
    {
        if (type is DataType.Fp16 or DataType.Bf16)
        {
            Assert.Skip($"{type.ToWireName()} has no JSON form (protocol.md §5)");
        }

        var model = DatatypeServer.ModelName(type);
        var body = $$"""{"inputs":[{"name":"{{Testing.Models.TestModels.Input0}}","datatype":"{{type.ToWireName()}}","shape":[2,3],"data":{{SampleTensors.Json(type)}}}]}""";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json($"/v2/models/{model}/infer", body));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        Assert.Equal("application/json", answer.ContentType);
        using var doc = JsonDocument.Parse(answer.Body);
        var output = doc.RootElement.GetProperty("outputs")[0];
        Assert.Equal(SampleTensors.Data(type), SampleTensors.FromJson(type, output.GetProperty("data")));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task GrpcRaw_EveryDatatype_ReturnsTheSameBytes(DataType type)
    {
        var data = SampleTensors.Data(type);
        var request = new ModelInferRequest { ModelName = DatatypeServer.ModelName(type) };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = Testing.Models.TestModels.Input0, Datatype = type.ToWireName() };
        input.Shape.Add([2, 3]);
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom(data));

        var response = await fixture.Server.Grpc.ModelInferAsync(request).ResponseAsync.DefaultTimeout();

        Assert.Equal(type.ToWireName(), response.Outputs[0].Datatype);
        Assert.Equal([2L, 3], response.Outputs[0].Shape);
        Assert.Equal(data, response.RawOutputContents[0].ToByteArray());
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task GrpcTyped_EveryTypedDatatype_ReturnsTheSameBytes(DataType type)
    {
        if (type is DataType.Fp16 or DataType.Bf16)
        {
            Assert.Skip($"{type.ToWireName()} has no typed contents field (protocol.md §5)");
        }

        var request = new ModelInferRequest { ModelName = DatatypeServer.ModelName(type) };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = Testing.Models.TestModels.Input0, Datatype = type.ToWireName(), Contents = TypedContents(type) };
        input.Shape.Add([2, 3]);
        request.Inputs.Add(input);

        var response = await fixture.Server.Grpc.ModelInferAsync(request).ResponseAsync.DefaultTimeout();

        Assert.Equal(SampleTensors.Data(type), response.RawOutputContents[0].ToByteArray());
    }

    private static InferTensorContents TypedContents(DataType type)
    {
        using var doc = JsonDocument.Parse(SampleTensors.Json(type));
        var items = doc.RootElement.EnumerateArray().ToArray();
        var c = new InferTensorContents();
        switch (type)
        {
            case DataType.Bool: c.BoolContents.Add(items.Select(i => i.GetBoolean())); break;
            case DataType.Int8 or DataType.Int16 or DataType.Int32: c.IntContents.Add(items.Select(i => i.GetInt32())); break;
            case DataType.UInt8 or DataType.UInt16 or DataType.UInt32: c.UintContents.Add(items.Select(i => i.GetUInt32())); break;
            case DataType.Int64: c.Int64Contents.Add(items.Select(i => i.GetInt64())); break;
            case DataType.UInt64: c.Uint64Contents.Add(items.Select(i => i.GetUInt64())); break;
            case DataType.Fp32: c.Fp32Contents.Add(items.Select(i => i.GetSingle())); break;
            case DataType.Fp64: c.Fp64Contents.Add(items.Select(i => i.GetDouble())); break;
            case DataType.Bytes: c.BytesContents.Add(items.Select(i => ByteString.CopyFromUtf8(i.GetString()!))); break;
        }

        return c;
    }
}
