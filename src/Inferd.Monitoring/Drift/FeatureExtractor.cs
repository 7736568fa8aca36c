using System.Globalization;
using System.Text;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;

namespace Inferd.Monitoring.Drift;

/// <summary>
/// Turns the tensors of a request and its response into feature columns, the same way for the reference profile
/// (<c>inferd profile</c>) and for live traffic, so names and kinds line up.
/// <list type="bullet">
/// <item>Rows are dimension 0 when the model batches (<c>max_batch_size</c> &gt; 0); otherwise the whole tensor is one row.</item>
/// <item>A tensor with one element per row is one feature named after the tensor; 2..64 elements per row become
/// features <c>name[j]</c>; larger tensors (images, embeddings, token ids) are skipped.</item>
/// <item>BYTES (as UTF-8, cut to <see cref="MaxCategoryBytes"/>) and BOOL are categorical; every other type is numeric.</item>
/// </list>
/// Never throws for a malformed tensor: it is skipped.
/// </summary>
internal static class FeatureExtractor
{
    /// <summary>Most elements per row still profiled, one feature each.</summary>
    public const int MaxElementsPerRow = 64;

    /// <summary>Category values longer than this many UTF-8 bytes are cut, so a stray long string costs little.</summary>
    public const int MaxCategoryBytes = 256;

    /// <summary>The name of element <paramref name="index"/> of <paramref name="tensor"/> (-1: the tensor's only element per row).</summary>
    public static string FeatureName(string tensor, int index) =>
        index < 0 ? tensor : string.Create(CultureInfo.InvariantCulture, $"{tensor}[{index}]");

    /// <summary>The features of an answered request.</summary>
    /// <param name="observation">The request and its response.</param>
    /// <param name="inputs">Input tensors to read, or null for all.</param>
    /// <param name="outputs">Output tensors to read, or null for all.</param>
    public static ExtractedFeatures Extract(InferenceObservation observation, IReadOnlySet<string>? inputs = null, IReadOnlySet<string>? outputs = null) =>
        Extract(observation.Request.Inputs, observation.Response.Outputs, observation.Config.MaxBatchSize > 0, inputs, outputs);

    /// <summary>The features of input and output tensors.</summary>
    /// <param name="inputs">Request tensors.</param>
    /// <param name="outputs">Response tensors.</param>
    /// <param name="batched">Whether dimension 0 counts rows.</param>
    /// <param name="wantedInputs">Input tensors to read, or null for all.</param>
    /// <param name="wantedOutputs">Output tensors to read, or null for all.</param>
    public static ExtractedFeatures Extract(
        IReadOnlyList<InferenceTensor> inputs,
        IReadOnlyList<InferenceTensor> outputs,
        bool batched,
        IReadOnlySet<string>? wantedInputs = null,
        IReadOnlySet<string>? wantedOutputs = null)
    {
        var rows = 0;
        var inputColumns = new List<FeatureColumn>();
        var outputColumns = new List<FeatureColumn>();
        AddColumns(inputs, batched, wantedInputs, inputColumns, ref rows);
        AddColumns(outputs, batched, wantedOutputs, outputColumns, ref rows);
        return new ExtractedFeatures(rows, inputColumns, outputColumns);
    }

    /// <summary>The kind of features a tensor type gives, or null for a type that is not profiled.</summary>
    public static FeatureKind? KindOf(DataType type) => type switch
    {
        DataType.Bytes or DataType.Bool => FeatureKind.Categorical,
        DataType.Invalid => null,
        _ => FeatureKind.Numeric,
    };

    /// <summary>Rows and elements per row of a tensor, or false when it is not profiled (too wide, empty, malformed).</summary>
    public static bool TryGetLayout(InferenceTensor tensor, bool batched, out int rows, out int perRow)
    {
        rows = 0;
        perRow = 0;
        if (!TensorShape.TryGetElementCount(tensor.Shape, out var count) || count == 0)
        {
            return false;
        }

        var rowCount = batched && tensor.Shape.Length > 0 ? tensor.Shape[0] : 1;
        if (rowCount <= 0 || rowCount > int.MaxValue || count % rowCount != 0 || count / rowCount > MaxElementsPerRow)
        {
            return false;
        }

        var size = tensor.DataType.ElementSize();
        if (tensor.DataType != DataType.Bytes && (size == 0 || tensor.Data.Length != count * size))
        {
            return false;
        }

        rows = (int)rowCount;
        perRow = (int)(count / rowCount);
        return true;
    }

    private static void AddColumns(IReadOnlyList<InferenceTensor> tensors, bool batched, IReadOnlySet<string>? wanted, List<FeatureColumn> columns, ref int rows)
    {
        foreach (var tensor in tensors)
        {
            if ((wanted is not null && !wanted.Contains(tensor.Name)) || KindOf(tensor.DataType) is not { } kind || !TryGetLayout(tensor, batched, out var r, out var perRow))
            {
                continue;
            }

            if (kind == FeatureKind.Numeric)
            {
                AddNumeric(tensor, r, perRow, columns);
            }
            else if (!AddCategorical(tensor, r, perRow, columns))
            {
                continue;
            }

            rows = Math.Max(rows, r);
        }
    }

    private static void AddNumeric(InferenceTensor tensor, int rows, int perRow, List<FeatureColumn> columns)
    {
        var data = tensor.Data.Span;
        for (var j = 0; j < perRow; j++)
        {
            var values = new double[rows];
            for (var i = 0; i < rows; i++)
            {
                values[i] = ReadNumber(tensor.DataType, data, (i * perRow) + j);
            }

            columns.Add(new FeatureColumn(tensor.Name, perRow == 1 ? -1 : j, FeatureKind.Numeric, values, null));
        }
    }

    private static bool AddCategorical(InferenceTensor tensor, int rows, int perRow, List<FeatureColumn> columns)
    {
        string[] elements;
        if (tensor.DataType == DataType.Bool)
        {
            var data = tensor.Data.Span;
            elements = new string[data.Length];
            for (var i = 0; i < data.Length; i++)
            {
                elements[i] = data[i] != 0 ? "true" : "false";
            }
        }
        else
        {
            if (!BytesTensor.TryCountElements(tensor.Data.Span, out var count) || count != (long)rows * perRow)
            {
                return false;
            }

            var parts = BytesTensor.Split(tensor.Data);
            elements = new string[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                var part = parts[i].Span;
                elements[i] = Encoding.UTF8.GetString(part.Length > MaxCategoryBytes ? part[..MaxCategoryBytes] : part);
            }
        }

        for (var j = 0; j < perRow; j++)
        {
            var values = new string[rows];
            for (var i = 0; i < rows; i++)
            {
                values[i] = elements[(i * perRow) + j];
            }

            columns.Add(new FeatureColumn(tensor.Name, perRow == 1 ? -1 : j, FeatureKind.Categorical, null, values));
        }

        return true;
    }

    private static double ReadNumber(DataType type, ReadOnlySpan<byte> data, int element) =>
        type.TryRead(data, element, out var value) ? value : double.NaN;
}
