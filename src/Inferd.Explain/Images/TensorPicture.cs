using Inferd.Abstractions.Tensors;
using Inferd.Explain.Evaluation;

namespace Inferd.Explain.Images;

/// <summary>
/// A picture already in tensor form ([3,H,W] or [H,W,3] per row, any numeric type); masked copies are written into the
/// tensor directly. For display and segmentation the values are stretched from their smallest to their largest to 0..1,
/// so a normalised tensor (mean 0, std 1) looks like its picture.
/// </summary>
internal sealed class TensorPicture : Picture
{
    private readonly DataType _type;
    private readonly byte[] _cell;
    private readonly bool _channelsFirst;
    private readonly double[] _mean;

    /// <param name="type">Element type.</param>
    /// <param name="cell">The row's elements.</param>
    /// <param name="width">W.</param>
    /// <param name="height">H.</param>
    /// <param name="channelsFirst">[3,H,W] when true, [H,W,3] when false.</param>
    public TensorPicture(DataType type, byte[] cell, int width, int height, bool channelsFirst)
        : base(width, height, new float[width * height * 3])
    {
        _type = type;
        _cell = cell;
        _channelsFirst = channelsFirst;
        _mean = new double[3];
        var pixels = width * height;
        var values = new double[pixels * 3];
        for (var p = 0; p < pixels; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                var v = CellCodec.Read(type, cell, Index(p, c));
                values[(3 * p) + c] = v;
                _mean[c] += v / pixels;
            }
        }

        var low = values.Min();
        var span = values.Max() - low;
        for (var i = 0; i < values.Length; i++)
        {
            Rgb[i] = span > 0 ? (float)((values[i] - low) / span) : 0.5f;
        }
    }

    /// <inheritdoc/>
    public override byte[] Masked(int[] labels, bool[] on)
    {
        var cell = (byte[])_cell.Clone();
        for (var p = 0; p < labels.Length; p++)
        {
            if (!on[labels[p]])
            {
                for (var c = 0; c < 3; c++)
                {
                    CellCodec.Write(_type, cell, Index(p, c), _mean[c]);
                }
            }
        }

        return cell;
    }

    private int Index(int pixel, int channel) => _channelsFirst ? (channel * Width * Height) + pixel : (3 * pixel) + channel;
}
