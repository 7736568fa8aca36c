using Inferd.Abstractions.Backends;
using Inferd.Core.Inference;
using Inferd.Core.Repository;

namespace Inferd.Processing.Pipelines;

/// <summary>
/// What a step factory sees while the pipeline loads: its definition and options, the signatures of the values it
/// reads, files next to the model, the backend for inline ONNX files and the facade for repository models.
/// </summary>
internal sealed class StepLoadContext
{
    private readonly IReadOnlyDictionary<string, TensorSignature> _values;
    private readonly List<string> _ports = [];

    /// <summary>Creates the context for one step.</summary>
    public StepLoadContext(
        StepDefinition definition,
        IReadOnlyDictionary<string, TensorSignature> values,
        ModelLoadContext model,
        IModelBackend innerBackend,
        Func<IInferenceService?> facade)
    {
        Definition = definition;
        _values = values;
        Model = model;
        InnerBackend = innerBackend;
        Facade = facade;
        Options = new StepOptions(definition.Name, definition.Options);
    }

    /// <summary>The step as declared.</summary>
    public StepDefinition Definition { get; }

    /// <summary>The step's options.</summary>
    public StepOptions Options { get; }

    /// <summary>The pipeline model being loaded; <see cref="ModelLoadContext.ModelFilePath"/> is its version directory.</summary>
    public ModelLoadContext Model { get; }

    /// <summary>The backend that runs inline ONNX files.</summary>
    public IModelBackend InnerBackend { get; }

    /// <summary>The facade, for steps that call other models of the repository; null until the facade attached itself.</summary>
    public Func<IInferenceService?> Facade { get; }

    /// <summary>Ports the step asked for, in the order its <see cref="IPipelineStep.RunAsync"/> receives them.</summary>
    public IReadOnlyList<string> Ports => _ports;

    /// <summary>
    /// Declares that the step reads <paramref name="port"/> and returns the signature of the value wired to it
    /// (named after the value). Call once per port, in the order the step wants its inputs.
    /// </summary>
    public TensorSignature Input(string port)
    {
        var value = Definition.Inputs.TryGetValue(port, out var wired) ? wired : port;
        if (!_values.TryGetValue(value, out var signature))
        {
            throw Options.Error(value == port
                ? $"input '{port}' is not wired and no pipeline input or earlier step produces a value named '{port}'"
                : $"input '{port}' is wired to '{value}', which no pipeline input or earlier step produces");
        }

        if (_ports.Contains(port))
        {
            throw Options.Error($"input '{port}' is read twice");
        }

        _ports.Add(port);
        return signature;
    }

    /// <summary>Whether a value named like <paramref name="port"/> (or wired to it) exists, for optional ports.</summary>
    public bool HasInput(string port) => _values.ContainsKey(Definition.Inputs.TryGetValue(port, out var wired) ? wired : port);

    /// <summary>
    /// Resolves a file a step option names: first in the version directory, then in the model directory (files shared
    /// by all versions, such as a vocabulary). Paths are relative and never leave the model directory.
    /// </summary>
    public string ResolveFile(string option, string relative)
    {
        RepositoryPaths.CheckRelativeFileName(relative, $"pipeline step '{Definition.Name}' option '{option}'");
        var versionDirectory = Model.ModelFilePath;
        var modelDirectory = Path.GetDirectoryName(Path.GetFullPath(versionDirectory))!;
        var inVersion = RepositoryPaths.Resolve(modelDirectory, Path.GetFileName(versionDirectory), relative);
        if (File.Exists(inVersion))
        {
            return inVersion;
        }

        var inModel = RepositoryPaths.Resolve(modelDirectory, relative);
        return File.Exists(inModel)
            ? inModel
            : throw Options.Error($"option '{option}': file '{StepOptions.Clip(relative)}' is in neither the version nor the model directory");
    }
}
