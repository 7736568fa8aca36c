using System.CommandLine;
using Inferd.Explain;
using Inferd.Hosting;

namespace Inferd.Cli.Commands;

/// <summary>The explanation flags of <c>inferd serve</c>: the budget per explanation and the explanation queue.</summary>
internal sealed class ServeExplainOptions
{
    private readonly Option<long> _budget = new("--explain-budget")
    {
        HelpName = "N",
        Description = "Most model evaluations (rows) one explanation may use; a plan over it is refused before any work. A model's config or a request may only lower it.",
        DefaultValueFactory = _ => new ExplainOptions().MaxEvaluations,
    };

    private readonly Option<int> _concurrency = new("--explain-concurrency")
    {
        HelpName = "N",
        Description = "Explanations computed at once; their model calls always queue below predictions.",
        DefaultValueFactory = _ => new ExplainOptions().MaxConcurrent,
    };

    private readonly Option<int> _queue = new("--explain-queue")
    {
        HelpName = "N",
        Description = "Explanations that may wait for their turn; one more is refused with 503.",
        DefaultValueFactory = _ => new ExplainOptions().MaxQueued,
    };

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_budget);
        command.Options.Add(_concurrency);
        command.Options.Add(_queue);
    }

    /// <summary>Copies the parsed flags into <paramref name="options"/>; <see cref="InferdHostOptions.Validate"/> checks them.</summary>
    public InferdHostOptions Apply(ParseResult result, InferdHostOptions options) => options with
    {
        Explain = new ExplainOptions
        {
            MaxEvaluations = result.GetValue(_budget),
            MaxConcurrent = result.GetValue(_concurrency),
            MaxQueued = result.GetValue(_queue),
        },
    };
}
