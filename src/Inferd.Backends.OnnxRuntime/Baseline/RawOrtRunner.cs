using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Inferd.Backends.OnnxRuntime.Baseline;

/// <summary>
/// The floor every benchmark compares with: one <see cref="InferenceSession"/> run in process with its input and
/// output values allocated once in native memory, so each <see cref="Run"/> is a bare ONNX Runtime call with
/// nothing to pin, copy or allocate. Lives in the backend project because it is the only one that may reference
/// ONNX Runtime.
/// </summary>
public sealed class RawOrtRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly OrtValue[] _inputs;
    private readonly string[] _outputNames;
    private readonly OrtValue[]? _outputs;

    private RawOrtRunner(InferenceSession session, string[] inputNames, OrtValue[] inputs, string[] outputNames, OrtValue[]? outputs, bool batches)
    {
        _session = session;
        _inputNames = inputNames;
        _inputs = inputs;
        _outputNames = outputNames;
        _outputs = outputs;
        Batches = batches;
    }

    /// <summary>Whether the model's inputs have a variable first (batch) dimension.</summary>
    public bool Batches { get; }

    /// <summary>Loads a model file and prepares one run.</summary>
    /// <param name="modelFile">The ONNX file.</param>
    /// <param name="intraOpThreads">Intra-op threads of the session.</param>
    /// <param name="disableSpinning">Turn thread spinning off, as Inferd does when sessions share the cores.</param>
    /// <param name="input">Builds each input from its name, type and declared shape (-1 for symbolic dimensions).</param>
    /// <exception cref="InferenceException">The model cannot be loaded or run, or has inputs that are not tensors.</exception>
    public static RawOrtRunner Create(string modelFile, int intraOpThreads, bool disableSpinning, Func<string, DataType, long[], InferenceTensor> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var options = new SessionOptions { IntraOpNumThreads = intraOpThreads, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        if (disableSpinning)
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        InferenceSession session;
        try
        {
            session = new InferenceSession(modelFile, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException(InferenceErrorKind.InvalidInput, "ONNX Runtime could not load the model: " + OrtMessages.Sanitize(e.Message), e);
        }

        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            var batches = false;
            foreach (var (name, meta) in session.InputMetadata)
            {
                var type = meta.IsTensor ? ElementTypes.FromOrt(meta.ElementDataType) : DataType.Invalid;
                if (type == DataType.Invalid)
                {
                    throw new InferenceException(InferenceErrorKind.Unsupported, $"input '{name}' is not a tensor of a protocol datatype");
                }

                var declared = meta.Dimensions.Select(d => (long)d).ToArray();
                batches |= declared.Length > 0 && declared[0] < 0;
                names.Add(name);
                values.Add(ToOrtValue(input(name, type, declared), meta.ElementDataType));
            }

            var outputNames = session.OutputMetadata.Keys.ToArray();
            // One allocating run learns the output shapes; then outputs are pre-allocated (not for strings, whose
            // buffers ONNX Runtime must allocate itself).
            OrtValue[]? outputs = null;
            using (var first = new RunOptions())
            using (var results = session.Run(first, names, values, outputNames))
            {
                if (results.All(r => r.IsTensor && r.GetTensorTypeAndShape().ElementDataType != TensorElementType.String))
                {
                    outputs = results
                        .Select(r => r.GetTensorTypeAndShape())
                        .Select(info => OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, info.ElementDataType, info.Shape))
                        .ToArray();
                }
            }

            return new RawOrtRunner(session, [.. names], [.. values], outputNames, outputs, batches);
        }
        catch (OnnxRuntimeException e)
        {
            Release(values, session);
            throw new InferenceException(InferenceErrorKind.InvalidInput, "ONNX Runtime could not run the model: " + OrtMessages.Sanitize(e.Message), e);
        }
        catch
        {
            Release(values, session);
            throw;
        }
    }

    /// <summary>One run on the prepared inputs.</summary>
    public void Run()
    {
        if (_outputs is not null)
        {
            _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);
        }
        else
        {
            _session.Run(_runOptions, _inputNames, _inputs, _outputNames).Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var v in _outputs ?? [])
        {
            v.Dispose();
        }

        _runOptions.Dispose();
        Release(_inputs, _session);
    }

    private static void Release(IEnumerable<OrtValue> values, InferenceSession session)
    {
        foreach (var v in values)
        {
            v.Dispose();
        }

        session.Dispose();
    }

    private static OrtValue ToOrtValue(InferenceTensor tensor, TensorElementType type)
    {
        if (tensor.DataType == DataType.Bytes)
        {
            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
            var span = tensor.Data.Span;
            var offset = 0;
            var index = 0;
            while (offset < span.Length)
            {
                var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
                value.StringTensorSetElementAt(span.Slice(offset + 4, length), index++);
                offset += 4 + length;
            }

            return value;
        }

        // Native memory owned by ONNX Runtime: nothing for the GC to move, nothing to pin per call.
        var allocated = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, tensor.Shape);
        tensor.Data.Span.CopyTo(allocated.GetTensorMutableRawData());
        return allocated;
    }
}
