namespace Inferd.Zoo.Models;

/// <summary>The files every trained model writes; all present means built.</summary>
internal static class TrainedOutputs
{
    /// <summary>config.json, the ONNX file, the card and the held-out rows.</summary>
    public static readonly IReadOnlyList<string> Files = ["config.json", "1/model.onnx", "card.md", "heldout.jsonl"];
}
