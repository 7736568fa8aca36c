using Inferd.Explain.Evaluation;

namespace Inferd.Explain.Background;

/// <summary>The background rows of one explanation and where they came from.</summary>
/// <param name="Rows">Rows in the model's input layout.</param>
/// <param name="Source">Shown in the response, e.g. <c>file heldout.jsonl (100 of 107 rows)</c>.</param>
internal sealed record BackgroundSet(IReadOnlyList<InputRow> Rows, string Source);
