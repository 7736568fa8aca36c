using Inferd.Abstractions.Tensors;

namespace Inferd.Abstractions.Configuration;

/// <summary>Layout hint of an image input (ModelInput.Format).</summary>
public enum TensorFormat
{
    /// <summary>No format.</summary>
    None = 0,
    /// <summary>Channels last.</summary>
    Nhwc = 1,
    /// <summary>Channels first.</summary>
    Nchw = 2,
}

/// <summary>An input or output in the model config. <see cref="Dims"/> excludes the batch dimension when batching.</summary>
/// <param name="Name">Tensor name in the model.</param>
/// <param name="DataType">Element type.</param>
/// <param name="Dims">Dimensions without batch; -1 is variable.</param>
public sealed record TensorConfig(string Name, DataType DataType, long[] Dims)
{
    /// <summary>Input only: the input may be left out of a request.</summary>
    public bool Optional { get; init; }

    /// <summary>Input only: image layout hint.</summary>
    public TensorFormat Format { get; init; }

    /// <summary>Output only: file in the model directory with one label per line, for classification.</summary>
    public string? LabelFilename { get; init; }

    /// <summary>False when a user config left <c>dims</c> out, so they are taken from the model file.</summary>
    public bool DimsSpecified { get; init; } = true;
}
