using Inferd.Abstractions.Tensors;

namespace Inferd.Batch.Conversion;

/// <summary>How one model input is filled from a row: which columns, how many values, and whether it is a picture.</summary>
/// <param name="Name">Model input name.</param>
/// <param name="DataType">Element type.</param>
/// <param name="RowShape">Shape of one row's slice (the input's shape without the batch dimension).</param>
/// <param name="ElementsPerRow">Product of <paramref name="RowShape"/>.</param>
/// <param name="Columns">Column indexes that fill it: one (a scalar, a list, text or a file) or one per element.</param>
/// <param name="ColumnNames">Their names, for messages.</param>
/// <param name="Image">For a numeric input shaped like a picture ([C,H,W] or [H,W,C] with C 1 or 3): its layout.</param>
internal sealed record InputPlan(
    string Name,
    DataType DataType,
    long[] RowShape,
    int ElementsPerRow,
    int[] Columns,
    string[] ColumnNames,
    ImageLayout? Image);

/// <summary>A picture-shaped input's layout.</summary>
/// <param name="Channels">1 (grey) or 3 (RGB).</param>
/// <param name="Height">Rows of pixels.</param>
/// <param name="Width">Columns of pixels.</param>
/// <param name="ChannelsFirst">NCHW when true, NHWC otherwise.</param>
internal sealed record ImageLayout(int Channels, int Height, int Width, bool ChannelsFirst);
