namespace Inferd.Zoo;

/// <summary>One model of the zoo: how to build its directory in the model repository from pinned sources.</summary>
internal interface IZooModel
{
    /// <summary>Model (directory) name in the repository.</summary>
    string Name { get; }

    /// <summary>Files, relative to the model directory, whose presence means the model is built.</summary>
    IReadOnlyList<string> Outputs { get; }

    /// <summary>Builds the model directory: model files, <c>config.json</c> and <c>card.md</c> with held-out metrics.</summary>
    Task BuildAsync(ZooContext context, CancellationToken cancellationToken);
}
