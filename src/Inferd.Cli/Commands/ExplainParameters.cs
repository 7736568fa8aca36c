using System.CommandLine;

namespace Inferd.Cli.Commands;

/// <summary>The options of <c>inferd explain</c> that become the request's <c>explain</c> object.</summary>
internal sealed class ExplainParameters
{
    public Option<string?> Method { get; } = new("--method", "-m") { Description = "kernel_shap, tree_shap, lime (lime_tabular, lime_text, lime_image); the model's default when omitted.", HelpName = "METHOD" };

    public Option<string?> Output { get; } = new("--output", "-o") { Description = "The explained output; the model's first numeric output when omitted.", HelpName = "NAME" };

    public Option<int?> Target { get; } = new("--target") { Description = "Element of the output row (a class index); the largest when omitted.", HelpName = "N" };

    public Option<long?> Budget { get; } = new("--budget") { Description = "Most model evaluations the explanation may use (capped by the server's).", HelpName = "N" };

    public Option<int?> Samples { get; } = new("--samples") { Description = "Sampled coalitions (kernel_shap sampled) or perturbed samples (LIME, default 1000).", HelpName = "N" };

    public Option<string?> Mode { get; } = new("--mode") { Description = "kernel_shap: exact or sampled.", HelpName = "MODE" };

    public Option<int?> BackgroundRows { get; } = new("--background-rows") { Description = "Background rows to use (at most the configured number).", HelpName = "N" };

    public Option<int?> Segments { get; } = new("--segments") { Description = "Image LIME: superpixels (default 50).", HelpName = "N" };

    public Option<int?> Seed { get; } = new("--seed") { Description = "Seed of every random choice (default 1), so an explanation repeats exactly.", HelpName = "N" };

    public Option<string?> Input { get; } = new("--input") { Description = "The input text or image LIME perturbs (and --text/--image fill); the only BYTES input when omitted.", HelpName = "NAME" };

    public ExplainParameters()
    {
        Mode.AcceptOnlyFromAmong("exact", "sampled");
    }

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Method, Output, Target, Budget, Samples, Mode, BackgroundRows, Segments, Seed, Input })
        {
            command.Add(option);
        }
    }

    /// <summary>The values given.</summary>
    public ExplainSettings Read(ParseResult parseResult) => new()
    {
        Method = parseResult.GetValue(Method),
        Output = parseResult.GetValue(Output),
        Target = parseResult.GetValue(Target),
        Budget = parseResult.GetValue(Budget),
        Samples = parseResult.GetValue(Samples),
        Mode = parseResult.GetValue(Mode),
        BackgroundRows = parseResult.GetValue(BackgroundRows),
        Segments = parseResult.GetValue(Segments),
        Seed = parseResult.GetValue(Seed),
        Input = parseResult.GetValue(Input),
    };
}
