using System.Buffers;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Testing.Conformance;
using Microsoft.ML.OnnxRuntime;

namespace Inferd.FunctionalTests.Conformance;

/// <summary>Runs a conformance case in-process with plain ONNX Runtime: the floor the server is held to.</summary>
internal static class InProcessBaseline
{
    /// <summary>Null when ONNX Runtime runs the case and matches the golden outputs; otherwise why not.</summary>
    public static string? Check(ConformanceCase testCase)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        InferenceSession session;
        try
        {
            session = new InferenceSession(testCase.ModelPath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            return "ONNX Runtime cannot load it: " + FirstLine(ex.Message);
        }

        using (session)
        {
            foreach (var set in testCase.DataSets)
            {
                var values = new OrtValue[set.Inputs.Count];
                var pins = new MemoryHandle[set.Inputs.Count];
                try
                {
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = OrtTensorMarshal.CreateInput(set.Inputs[i], out pins[i]);
                    }

                    using var runOptions = new RunOptions();
                    var names = set.Outputs.Select(o => o.Name).ToArray();
                    using var results = session.Run(runOptions, set.Inputs.Select(i => i.Name).ToArray(), values, names);
                    var actual = results.Select((v, k) => OrtTensorMarshal.ReadOutput(names[k], v)).ToArray();
                    var mismatch = ConformanceComparer.Compare(set.Outputs, actual);
                    if (mismatch is not null)
                    {
                        return "ONNX Runtime in-process does not match the golden output: " + FirstLine(mismatch);
                    }
                }
                catch (OnnxRuntimeException ex)
                {
                    return "ONNX Runtime cannot run it: " + FirstLine(ex.Message);
                }
                finally
                {
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i]?.Dispose();
                        pins[i].Dispose();
                    }
                }
            }
        }

        return null;
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0];
        return line.Length > 160 ? line[..160] + "..." : line;
    }
}
