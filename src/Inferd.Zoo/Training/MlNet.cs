using Microsoft.ML;
using Microsoft.ML.Data;

namespace Inferd.Zoo.Training;

/// <summary>ML.NET plumbing shared by the trained models: feature matrices in, an ONNX file with one input out.</summary>
internal static class MlNet
{
    /// <summary>A regression training view over encoded rows.</summary>
    public static IDataView Regression(MLContext ml, IReadOnlyList<float[]> features, IReadOnlyList<float> labels) =>
        ml.Data.LoadFromEnumerable(features.Select((f, i) => new RegressionRow { Features = f, Label = labels[i] }), Schema<RegressionRow>(features[0].Length));

    /// <summary>A binary classification training view over encoded rows.</summary>
    public static IDataView Binary(MLContext ml, IReadOnlyList<float[]> features, IReadOnlyList<bool> labels) =>
        ml.Data.LoadFromEnumerable(features.Select((f, i) => new BinaryRow { Features = f, Label = labels[i] }), Schema<BinaryRow>(features[0].Length));

    /// <summary>A view of features only, for predictions.</summary>
    public static IDataView Features(MLContext ml, IReadOnlyList<float[]> features, int width) =>
        ml.Data.LoadFromEnumerable(features.Select(f => new FeaturesRow { Features = f }), Schema<FeaturesRow>(width));

    /// <summary>One float column of a transformed view (<c>Score</c> or <c>Probability</c>).</summary>
    public static float[] Column(IDataView view, string column) => view.GetColumn<float>(column).ToArray();

    /// <summary>
    /// Exports the model with a schema built from an empty features-only view, so the graph's only input is
    /// <c>Features</c> [-1, width] (models-and-data.md §4: the training view would add Label as an input).
    /// </summary>
    public static void ExportOnnx(MLContext ml, ITransformer model, int width, string path)
    {
        var schemaView = ml.Data.LoadFromEnumerable(new List<FeaturesRow>(), Schema<FeaturesRow>(width));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var stream = File.Create(path + ".tmp"))
        {
            ml.Model.ConvertToOnnx(model, schemaView, stream);
        }

        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static SchemaDefinition Schema<T>(int width)
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return schema;
    }

    /// <summary>ML.NET binds rows by reflection over public properties.</summary>
    public sealed class RegressionRow
    {
        /// <summary>Encoded features.</summary>
        public float[] Features { get; set; } = [];

        /// <summary>Target.</summary>
        public float Label { get; set; }
    }

    /// <summary>A binary training row.</summary>
    public sealed class BinaryRow
    {
        /// <summary>Encoded features.</summary>
        public float[] Features { get; set; } = [];

        /// <summary>Target.</summary>
        public bool Label { get; set; }
    }

    /// <summary>Features only: the ONNX schema and prediction input.</summary>
    public sealed class FeaturesRow
    {
        /// <summary>Encoded features.</summary>
        public float[] Features { get; set; } = [];
    }
}
