using Inferd.Abstractions.Tensors;

namespace Inferd.Explain.Tabular;

/// <summary>One player of a tabular explanation: an element of a feature vector, or one whole single-element input.</summary>
/// <param name="Name">Feature name: the input's name, a configured feature name, or <c>input[i]</c>.</param>
/// <param name="Input">Index of the config input that holds it.</param>
/// <param name="Element">Element index within that input's row.</param>
/// <param name="DataType">Element type; BYTES features are categorical.</param>
internal sealed record Feature(string Name, int Input, int Element, DataType DataType)
{
    /// <summary>Whether the feature is a number (BOOL included).</summary>
    public bool IsNumeric => DataType != DataType.Bytes;
}
