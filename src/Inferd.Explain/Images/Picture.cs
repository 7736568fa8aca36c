using System.Buffers.Binary;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;

namespace Inferd.Explain.Images;

/// <summary>
/// The picture of one input of the explained row, as image LIME sees it: RGB pixels in 0..1 (for the superpixels and the
/// heat map) and a way to write the row's cell back with some pixels filled with the picture's mean colour.
/// </summary>
internal abstract class Picture
{
    /// <summary>Smallest side of a tensor read as a picture: below 8 pixels there is nothing to segment.</summary>
    public const int MinSide = 8;

    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="rgb">Row-major RGB triples in 0..1.</param>
    protected Picture(int width, int height, float[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Row-major RGB triples in 0..1.</summary>
    public float[] Rgb { get; }

    /// <summary>
    /// The input's cell for the picture with every pixel whose superpixel is off (<paramref name="on"/>[label] false)
    /// filled with the picture's mean colour.
    /// </summary>
    /// <param name="labels">Superpixel of each pixel, row-major.</param>
    /// <param name="on">Per superpixel, whether it keeps its pixels.</param>
    public abstract byte[] Masked(int[] labels, bool[] on);

    /// <summary>
    /// The picture held by <paramref name="cell"/>, or null when the input holds none: a BYTES input with one element
    /// that decodes as an image, or a numeric input whose row is [3,H,W] or [H,W,3] with H and W at least 8.
    /// </summary>
    /// <exception cref="Inferd.Abstractions.Inference.InferenceException">InvalidInput when the image is too large to decode.</exception>
    public static Picture? TryRead(TensorConfig input, long[] rowShape, byte[] cell)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rowShape);
        ArgumentNullException.ThrowIfNull(cell);
        if (input.DataType == DataType.Bytes)
        {
            var count = rowShape.Aggregate(1L, (a, d) => a * d);
            if (count != 1 || cell.Length < 4)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(cell);
            return length > 0 && length <= cell.Length - 4 ? EncodedPicture.TryDecode(input.Name, cell.AsSpan(4, length)) : null;
        }

        if (rowShape.Length != 3)
        {
            return null;
        }

        if (rowShape[0] == 3 && rowShape[1] >= MinSide && rowShape[2] >= MinSide)
        {
            return new TensorPicture(input.DataType, cell, (int)rowShape[2], (int)rowShape[1], channelsFirst: true);
        }

        return rowShape[2] == 3 && rowShape[0] >= MinSide && rowShape[1] >= MinSide
            ? new TensorPicture(input.DataType, cell, (int)rowShape[1], (int)rowShape[0], channelsFirst: false)
            : null;
    }
}
