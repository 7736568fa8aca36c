namespace Inferd.Core.Repository;

/// <summary>The parsed tree of a config.pbtxt, before it is written as JSON.</summary>
internal abstract class PbtxtNode;

internal enum PbtxtScalarKind
{
    String,
    Integer,
    NegativeInteger,
    Float,
    Bool,
    Identifier,
}

internal sealed class PbtxtScalar(PbtxtScalarKind kind, string text) : PbtxtNode
{
    public PbtxtScalarKind Kind { get; } = kind;

    public string Text { get; } = text;
}

/// <summary>A message or a map: names in order of first appearance.</summary>
internal sealed class PbtxtObject : PbtxtNode
{
    public List<KeyValuePair<string, PbtxtNode>> Fields { get; } = [];

    public Dictionary<string, int> Index { get; } = new(StringComparer.Ordinal);
}

internal sealed class PbtxtArray : PbtxtNode
{
    public List<PbtxtNode> Items { get; } = [];
}
