namespace Inferd.Processing.Steps.Tabular;

/// <summary>
/// One row of named fields as <see cref="TabularEncoder"/> reads it: the serving step reads request tensors, the zoo
/// trainer reads CSV cells, and both encode through the same code.
/// </summary>
internal interface ITabularRow
{
    /// <summary>Row index for error messages.</summary>
    int Index { get; }

    /// <summary>The field of feature <paramref name="feature"/>, as the client named it (error messages).</summary>
    string Field(int feature);

    /// <summary>A number or bool field's value; NaN when missing.</summary>
    double Number(int feature);

    /// <summary>A category field's value as invariant text; empty when missing.</summary>
    string Text(int feature);
}
