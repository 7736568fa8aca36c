using Inferd.Processing.Pipelines;

namespace Inferd.Processing.Steps.Image;

/// <summary>How an encoded image becomes a model input (the <c>image</c> step's options).</summary>
/// <param name="Width">Output width in pixels.</param>
/// <param name="Height">Output height in pixels.</param>
/// <param name="Resize">How the image is brought to <paramref name="Width"/> × <paramref name="Height"/>.</param>
/// <param name="Bgr">Channels in B, G, R order instead of R, G, B.</param>
/// <param name="ChannelsLast">NHWC (pixels) instead of NCHW (planes).</param>
/// <param name="Scale">Multiplies the 0–255 pixel value first.</param>
/// <param name="Mean">Subtracted per output channel after scaling (null: zeros).</param>
/// <param name="Std">Divides per output channel after subtracting the mean (null: ones).</param>
/// <param name="PadValue">The value (after normalization) of the area <see cref="ImageResize.FitPad"/> leaves empty.</param>
/// <param name="Bytes">UINT8 output: raw 0–255, no scale, mean or std.</param>
internal sealed record ImageOptions(
    int Width,
    int Height,
    ImageResize Resize = ImageResize.Stretch,
    bool Bgr = false,
    bool ChannelsLast = false,
    double Scale = 1 / 255.0,
    double[]? Mean = null,
    double[]? Std = null,
    double PadValue = 0,
    bool Bytes = false)
{
    /// <summary>Largest width or height accepted.</summary>
    public const int MaxSide = 4096;

    /// <summary>Values per image: 3 × height × width.</summary>
    public int Length => 3 * Width * Height;

    /// <summary>Reads and checks the step options.</summary>
    public static ImageOptions Read(StepOptions options)
    {
        options.CheckKnown("width", "height", "resize", "channel_order", "layout", "scale", "mean", "std", "pad_value", "data_type");
        var resize = options.GetString("resize", "stretch") switch
        {
            "stretch" => ImageResize.Stretch,
            "center_crop" => ImageResize.CenterCrop,
            "fit_pad" => ImageResize.FitPad,
            "height_pad" => ImageResize.HeightPad,
            var other => throw options.Error($"option 'resize' must be \"stretch\", \"center_crop\", \"fit_pad\" or \"height_pad\", got \"{StepOptions.Clip(other)}\""),
        };
        var bgr = options.GetString("channel_order", "rgb") switch
        {
            "rgb" => false,
            "bgr" => true,
            var other => throw options.Error($"option 'channel_order' must be \"rgb\" or \"bgr\", got \"{StepOptions.Clip(other)}\""),
        };
        var channelsLast = options.GetString("layout", "nchw") switch
        {
            "nchw" => false,
            "nhwc" => true,
            var other => throw options.Error($"option 'layout' must be \"nchw\" or \"nhwc\", got \"{StepOptions.Clip(other)}\""),
        };
        var bytes = options.GetString("data_type", "TYPE_FP32") switch
        {
            "TYPE_FP32" => false,
            "TYPE_UINT8" => true,
            var other => throw options.Error($"option 'data_type' must be \"TYPE_FP32\" or \"TYPE_UINT8\", got \"{StepOptions.Clip(other)}\""),
        };
        if (bytes && (options.Has("scale") || options.Has("mean") || options.Has("std")))
        {
            throw options.Error("options 'scale', 'mean' and 'std' do not apply to TYPE_UINT8 output (raw 0..255)");
        }

        var std = Triple(options, "std", 1);
        if (std.Any(s => s == 0))
        {
            throw options.Error("option 'std' must not hold 0");
        }

        return new ImageOptions(
            options.GetInt("width", min: 1, max: MaxSide),
            options.GetInt("height", min: 1, max: MaxSide),
            resize,
            bgr,
            channelsLast,
            options.GetDouble("scale", 1 / 255.0),
            Triple(options, "mean", 0),
            std,
            options.GetDouble("pad_value", 0),
            bytes);
    }

    private static double[] Triple(StepOptions options, string name, double defaultValue)
    {
        var values = options.GetDoubles(name) ?? [defaultValue, defaultValue, defaultValue];
        return values.Length == 3 ? values : throw options.Error($"option '{name}' must hold 3 numbers (one per output channel), got {values.Length}");
    }
}
