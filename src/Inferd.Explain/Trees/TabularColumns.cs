using System.Globalization;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Evaluation;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Steps.Tabular;

namespace Inferd.Explain.Trees;

/// <summary>
/// A pipeline's <c>tabular</c> step as Tree SHAP sees it: rows of the pipeline's inputs encoded into the feature
/// columns by the step's own <see cref="TabularEncoder"/> (so the trees see bit for bit what the served pipeline
/// feeds them), and each column's player: the pipeline input its field reads.
/// </summary>
internal sealed class TabularColumns
{
    private readonly TabularEncoder _encoder;
    private readonly int[] _inputOf;
    private readonly DataType[] _types;
    private readonly string[] _fields;

    private TabularColumns(TabularEncoder encoder, int[] inputOf, DataType[] types, string[] fields, int[] playerOfColumn)
    {
        _encoder = encoder;
        _inputOf = inputOf;
        _types = types;
        _fields = fields;
        PlayerOfColumn = playerOfColumn;
    }

    /// <summary>Per feature column, the player (layout feature) that owns it.</summary>
    public int[] PlayerOfColumn { get; }

    /// <summary>Maps the step's fields to the model's inputs; throws InvalidInput when a field does not read a pipeline input.</summary>
    public static TabularColumns Create(ExplanationContext context, TabularEncoder encoder, StepDefinition step, PipelineDefinition pipeline)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(encoder);
        var layout = context.Layout;
        if (layout.IsVector)
        {
            throw InferenceException.Invalid("a tabular pipeline's inputs should be single fields, but this one takes a feature vector");
        }

        var features = encoder.Schema.Features;
        var inputOf = new int[features.Count];
        var types = new DataType[features.Count];
        var players = new List<int>(encoder.Schema.Width);
        for (var f = 0; f < features.Count; f++)
        {
            var value = step.Inputs.TryGetValue(features[f].Name, out var wired) ? wired : features[f].Name;
            var input = pipeline.Inputs.Any(i => i.Name == value) ? IndexOf(context, value) : -1;
            if (input < 0)
            {
                throw InferenceException.Invalid($"field '{features[f].Name}' of tabular step '{step.Name}' reads '{value}', which is not a pipeline input; tree_shap needs the step to read the inputs directly");
            }

            inputOf[f] = input;
            types[f] = context.Config.Inputs[input].DataType;
            var player = TreePlanner.PlayerOfInput(layout, input);
            for (var c = 0; c < features[f].Width; c++)
            {
                players.Add(player);
            }
        }

        return new TabularColumns(encoder, inputOf, types, features.Select(f => f.Name).ToArray(), [.. players]);
    }

    /// <summary>The row's feature columns, as the tabular step writes them (FP32, widened).</summary>
    /// <exception cref="InferenceException">InvalidInput naming the field (missing value, unknown category).</exception>
    public double[] Encode(InputRow row)
    {
        var floats = new float[_encoder.Schema.Width];
        _encoder.Encode(new Row(row, this), floats);
        return floats.Select(f => (double)f).ToArray();
    }

    private static int IndexOf(ExplanationContext context, string name)
    {
        for (var i = 0; i < context.Config.Inputs.Count; i++)
        {
            if (context.Config.Inputs[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>One explained or background row, read as the tabular step reads request tensors.</summary>
    private readonly struct Row(InputRow row, TabularColumns columns) : ITabularRow
    {
        public int Index => 0;

        public string Field(int feature) => columns._fields[feature];

        public double Number(int feature) =>
            columns._types[feature] == DataType.Bytes
                ? throw InferenceException.Invalid($"field '{columns._fields[feature]}' must be numeric, got BYTES")
                : CellCodec.Read(columns._types[feature], row.Cells[columns._inputOf[feature]], 0);

        public string Text(int feature)
        {
            var cell = row.Cells[columns._inputOf[feature]];
            if (columns._types[feature] == DataType.Bytes)
            {
                return cell.Length >= 4 ? Encoding.UTF8.GetString(cell, 4, cell.Length - 4) : "";
            }

            var value = Number(feature);
            return double.IsNaN(value) ? "" : value.ToString(CultureInfo.InvariantCulture);
        }
    }
}
