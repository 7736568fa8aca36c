namespace Inferd.Abstractions.Models;

/// <summary>
/// A model card: the human-readable description kept beside a model as <c>&lt;repository&gt;/&lt;model&gt;/card.md</c>,
/// with the metrics its optional front matter declares.
/// </summary>
/// <param name="Name">Model name.</param>
/// <param name="Markdown">The card's Markdown text as stored, front matter included.</param>
/// <param name="Metrics">Metrics from the <c>metrics:</c> block of the front matter (name → value); empty when none.</param>
public sealed record ModelCard(string Name, string Markdown, IReadOnlyDictionary<string, double> Metrics);
