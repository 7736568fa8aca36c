namespace Inferd.Processing.Steps.Image;

/// <summary>How an image is brought to the output size.</summary>
internal enum ImageResize
{
    /// <summary>Scale each axis independently to the output size (aspect ratio not kept).</summary>
    Stretch,

    /// <summary>Scale keeping the aspect ratio until the image covers the output, then crop the center.</summary>
    CenterCrop,

    /// <summary>Scale keeping the aspect ratio until the image fits inside, anchored top-left; pad the rest.</summary>
    FitPad,

    /// <summary>
    /// PaddleOCR's text-line resize: the full output height, the width that keeps the aspect ratio but at most the
    /// output width (a longer line is squeezed, not shrunk), anchored left; pad the rest.
    /// </summary>
    HeightPad,
}
