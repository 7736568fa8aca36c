using Google.Protobuf;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Protocol.Grpc;

/// <summary>Checks one <c>raw_input_contents</c> entry against its validated header and hands it through uncopied.</summary>
internal static class RawContentsReader
{
    /// <summary>Returns the entry's bytes when their length (or BYTES element walk) matches the header exactly.</summary>
    public static ReadOnlyMemory<byte> Read(string name, InputHeader header, ByteString raw)
    {
        if (header.DataType == DataType.Bytes)
        {
            if (!BytesTensor.TryCountElements(raw.Span, out var count))
            {
                throw InferenceException.Invalid($"input '{name}' has a BYTES length prefix that runs past the end of its raw contents");
            }

            if (count != header.ElementCount)
            {
                throw InferenceException.Invalid($"input '{name}' raw contents hold {count} BYTES elements; the shape needs {header.ElementCount}");
            }
        }
        else if (raw.Length != header.ByteSize)
        {
            throw InferenceException.Invalid($"input '{name}' raw contents are {raw.Length} bytes; shape and datatype need {header.ByteSize}");
        }

        return raw.Memory;
    }
}
