namespace Inferd.Explain.Evaluation;

/// <summary>
/// One row of a model's inputs: for each config input, in config order, the row's elements in the protocol's binary
/// layout (little-endian; BYTES as 4-byte length + bytes). Explainers build perturbed rows from these cells and the
/// evaluator concatenates them along the batch dimension, so no tensor is decoded or re-encoded on the way.
/// </summary>
/// <param name="Cells">Per input, the row's encoded elements. Rows are immutable once handed to the evaluator.</param>
internal sealed record InputRow(byte[][] Cells)
{
    /// <summary>A copy whose cell <paramref name="input"/> is <paramref name="cell"/>.</summary>
    public InputRow With(int input, byte[] cell)
    {
        var cells = (byte[][])Cells.Clone();
        cells[input] = cell;
        return new InputRow(cells);
    }
}
