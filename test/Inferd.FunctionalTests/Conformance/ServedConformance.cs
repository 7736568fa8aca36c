using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;
using Inferd.Testing;
using Inferd.Testing.Conformance;
using Inferd.Testing.Server;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.FunctionalTests.Conformance;

/// <summary>Sends one conformance data set through the running server over REST binary or gRPC raw.</summary>
internal static class ServedConformance
{
    public static async Task<string?> RestBinaryAsync(InferdTestServer server, string model, ConformanceDataSet set)
    {
        var header = new StringBuilder("{\"inputs\":[");
        var tail = new MemoryStream();
        for (var i = 0; i < set.Inputs.Count; i++)
        {
            var t = set.Inputs[i];
            header.Append(i == 0 ? "" : ",")
                .Append("{\"name\":").Append(JsonSerializer.Serialize(t.Name))
                .Append(",\"datatype\":\"").Append(t.DataType.ToWireName())
                .Append("\",\"shape\":[").Append(string.Join(",", t.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))))
                .Append("],\"parameters\":{\"binary_data_size\":").Append(t.Data.Length.ToString(CultureInfo.InvariantCulture)).Append("}}");
            tail.Write(t.Data.Span);
        }

        header.Append("],\"outputs\":[");
        header.Append(string.Join(",", set.Outputs.Select(o => "{\"name\":" + JsonSerializer.Serialize(o.Name) + ",\"parameters\":{\"binary_data\":true}}")));
        header.Append("]}");
        using var request = RestHelpers.Binary($"/v2/models/{model}/infer", header.ToString(), tail.ToArray());
        using var response = await server.Http.SendAsync(request).DefaultTimeout();
        var body = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        if (!response.IsSuccessStatusCode)
        {
            return $"REST {(int)response.StatusCode}: {RestHelpers.Clip(Encoding.UTF8.GetString(body))}";
        }

        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
        using var doc = JsonDocument.Parse(body.AsMemory(0, jsonLength));
        var offset = jsonLength;
        var actual = new List<InferenceTensor>();
        foreach (var o in doc.RootElement.GetProperty("outputs").EnumerateArray())
        {
            var size = o.GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
            _ = DataTypes.TryParseWireName(o.GetProperty("datatype").GetString(), out var type);
            actual.Add(new InferenceTensor(o.GetProperty("name").GetString()!, type, o.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(), body.AsMemory(offset, size)));
            offset += size;
        }

        return ConformanceComparer.Compare(set.Outputs, actual);
    }

    public static async Task<string?> GrpcRawAsync(InferdTestServer server, string model, ConformanceDataSet set)
    {
        var request = new ModelInferRequest { ModelName = model };
        foreach (var t in set.Inputs)
        {
            var input = new ModelInferRequest.Types.InferInputTensor { Name = t.Name, Datatype = t.DataType.ToWireName() };
            input.Shape.Add(t.Shape);
            request.Inputs.Add(input);
            request.RawInputContents.Add(ByteString.CopyFrom(t.Data.Span));
        }

        foreach (var o in set.Outputs)
        {
            request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = o.Name });
        }

        ModelInferResponse response;
        try
        {
            response = await server.Grpc.ModelInferAsync(request).ResponseAsync.DefaultTimeout();
        }
        catch (RpcException ex)
        {
            return $"gRPC {ex.StatusCode}: {RestHelpers.Clip(ex.Status.Detail)}";
        }

        var actual = response.Outputs.Select((o, k) =>
        {
            _ = DataTypes.TryParseWireName(o.Datatype, out var type);
            return new InferenceTensor(o.Name, type, o.Shape.ToArray(), response.RawOutputContents[k].Memory);
        }).ToList();
        return ConformanceComparer.Compare(set.Outputs, actual);
    }

    /// <summary>Repository model name for a case: "node/test_add" becomes "node.test_add".</summary>
    public static string ModelName(ConformanceCase c) => c.Name.Replace('/', '.');

}
