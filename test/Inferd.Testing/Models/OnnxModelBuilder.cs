using Google.Protobuf;
using Inferd.Abstractions.Tensors;
using Onnx;

namespace Inferd.Testing.Models;

/// <summary>
/// Small helpers over OnnxSharp's generated protobuf classes for writing ONNX graphs by hand. Output is
/// deterministic: the same calls produce the same bytes (no maps, no timestamps).
/// </summary>
public static class OnnxModelBuilder
{
    /// <summary>IR version used by default (ONNX 1.10+, accepted by every ORT we target).</summary>
    public const long DefaultIrVersion = 8;

    /// <summary>Default <c>ai.onnx</c> opset.</summary>
    public const long DefaultOpset = 13;

    /// <summary>
    /// A tensor value description. In <paramref name="shape"/> a -1 is a symbolic dimension: the first is named
    /// <c>N</c> (the batch), later ones <c>D1</c>, <c>D2</c>… by position.
    /// </summary>
    public static ValueInfoProto Value(string name, DataType type, IReadOnlyList<long> shape) =>
        Value(name, (int)OnnxElementTypes.ToOnnx(type), shape);

    /// <summary>A tensor value description with a raw ONNX element type code.</summary>
    public static ValueInfoProto Value(string name, int onnxElementType, IReadOnlyList<long> shape)
    {
        var tensorShape = new TensorShapeProto();
        var firstSymbolic = true;
        for (var i = 0; i < shape.Count; i++)
        {
            if (shape[i] < 0)
            {
                tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension
                {
                    DimParam = firstSymbolic ? "N" : "D" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
                firstSymbolic = false;
            }
            else
            {
                tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = shape[i] });
            }
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = onnxElementType, Shape = tensorShape } },
        };
    }

    /// <summary>A tensor value with unknown rank (no shape), as used for loop-body values.</summary>
    public static ValueInfoProto ValueAnyShape(string name, DataType type) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)OnnxElementTypes.ToOnnx(type) } },
    };

    /// <summary>A node; its name defaults to the first output's name.</summary>
    public static NodeProto Node(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Name = opType + "_" + node.Output[0];
        node.Attribute.AddRange(attributes);
        return node;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A graph-valued attribute (Loop/If bodies).</summary>
    public static AttributeProto GraphAttribute(string name, GraphProto graph) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = graph };

    /// <summary>A float initializer.</summary>
    public static TensorProto FloatTensor(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    /// <summary>An int64 initializer.</summary>
    public static TensorProto Int64Tensor(string name, long[] dims, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        return tensor;
    }

    /// <summary>A bool initializer.</summary>
    public static TensorProto BoolTensor(string name, long[] dims, bool[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Bool };
        tensor.Dims.AddRange(dims);
        tensor.Int32Data.AddRange(values.Select(v => v ? 1 : 0));
        return tensor;
    }

    /// <summary>A graph from its parts.</summary>
    public static GraphProto Graph(
        string name,
        IEnumerable<NodeProto> nodes,
        IEnumerable<ValueInfoProto> inputs,
        IEnumerable<ValueInfoProto> outputs,
        IEnumerable<TensorProto>? initializers = null)
    {
        var graph = new GraphProto { Name = name };
        graph.Node.AddRange(nodes);
        graph.Input.AddRange(inputs);
        graph.Output.AddRange(outputs);
        if (initializers is not null)
        {
            graph.Initializer.AddRange(initializers);
        }

        return graph;
    }

    /// <summary>Wraps a graph in a model importing <c>ai.onnx</c> at <paramref name="opset"/>.</summary>
    public static ModelProto Model(GraphProto graph, long opset = DefaultOpset, long irVersion = DefaultIrVersion)
    {
        var model = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = "Inferd.Testing",
            ProducerVersion = "1",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    /// <summary>Serializes a graph as a model file.</summary>
    public static byte[] Serialize(GraphProto graph, long opset = DefaultOpset, long irVersion = DefaultIrVersion) =>
        Model(graph, opset, irVersion).ToByteArray();
}
