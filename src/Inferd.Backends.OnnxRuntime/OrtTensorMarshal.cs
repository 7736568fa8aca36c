using System.Buffers;
using Inferd.Abstractions.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Inferd.Backends.OnnxRuntime;

/// <summary>Converts between the protocol's binary tensor layout and <see cref="OrtValue"/>.</summary>
internal static class OrtTensorMarshal
{
    private static readonly byte[] EmptyBuffer = new byte[8];

    /// <summary>
    /// Creates an input value. Fixed-size types are passed without a copy: the wire buffer is pinned and ORT reads
    /// it in place. Ownership: the caller disposes the value, then the pin.
    /// </summary>
    public static unsafe OrtValue CreateInput(InferenceTensor tensor, out MemoryHandle pin)
    {
        if (tensor.DataType == DataType.Bytes)
        {
            pin = default;
            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
            try
            {
                var span = tensor.Data.Span;
                var offset = 0;
                var index = 0;
                while (offset < span.Length)
                {
                    var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
                    offset += 4;
                    value.StringTensorSetElementAt(span.Slice(offset, length), index++);
                    offset += length;
                }

                return value;
            }
            catch
            {
                value.Dispose();
                throw;
            }
        }

        var data = tensor.Data;
        var elementSize = tensor.DataType.ElementSize();
        if (data.Length == 0)
        {
            data = EmptyBuffer;
        }

        pin = data.Pin();
        var address = (nint)pin.Pointer;
        if (address % elementSize != 0)
        {
            // A binary HTTP body places tensors right after the JSON header, at any offset. Some kernels read
            // elements with aligned loads, so realign the rare misaligned buffer with one copy.
            pin.Dispose();
            var copy = data.ToArray();
            pin = ((ReadOnlyMemory<byte>)copy).Pin();
            address = (nint)pin.Pointer;
        }

        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, ElementTypes.ToOrt(tensor.DataType), tensor.Shape, address, tensor.Data.Length);
    }

    /// <summary>Copies an output value into a tensor in the binary layout. Ownership: the tensor owns its new buffer.</summary>
    public static InferenceTensor ReadOutput(string name, OrtValue value)
    {
        if (value.OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw new Abstractions.Inference.InferenceException(
                Abstractions.Inference.InferenceErrorKind.Unsupported,
                $"output '{name}' is a {value.OnnxType}, which the protocol cannot carry");
        }

        var info = value.GetTensorTypeAndShape();
        var type = ElementTypes.FromOrt(info.ElementDataType);
        if (type == DataType.Invalid)
        {
            throw new Abstractions.Inference.InferenceException(
                Abstractions.Inference.InferenceErrorKind.Unsupported,
                $"output '{name}' has element type {info.ElementDataType}, which the protocol cannot carry");
        }

        var shape = info.Shape;
        if (type == DataType.Bytes)
        {
            var count = (int)info.ElementCount;
            long total = 0;
            for (var i = 0; i < count; i++)
            {
                total += 4 + value.GetStringElementAsSpan(i).Length;
            }

            var buffer = new byte[total];
            var offset = 0;
            for (var i = 0; i < count; i++)
            {
                var element = value.GetStringElementAsSpan(i);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), (uint)element.Length);
                offset += 4;
                element.CopyTo(buffer.AsSpan(offset));
                offset += element.Length;
            }

            return new InferenceTensor(name, type, shape, buffer);
        }

        return new InferenceTensor(name, type, shape, value.GetTensorMutableRawData().ToArray());
    }
}
