using System.Buffers;
using System.Globalization;
using System.Text;

namespace Inferd.Core.Repository;

/// <summary>Recursive-descent parser of the protobuf text format over <see cref="PbtxtLexer"/>, bounded in depth.</summary>
internal sealed class PbtxtParser(string text)
{
    private readonly PbtxtLexer _lexer = new(text);
    private int _depth;

    public PbtxtObject ParseRoot()
    {
        var root = new PbtxtObject();
        while (_lexer.Peek().Kind != PbtxtTokenKind.End)
        {
            ParseField(root, null);
        }

        return root;
    }

    // Field := name [':'] (value | '{' ... '}' | '[' ... ']') [',' | ';']
    private void ParseField(PbtxtObject target, string? parent)
    {
        var nameToken = _lexer.Next();
        if (nameToken.Kind != PbtxtTokenKind.Identifier)
        {
            throw _lexer.Error(nameToken, $"expected a field name, found {PbtxtLexer.Describe(nameToken)}");
        }

        var name = nameToken.Text;
        var kind = PbtxtConfig.KindOf(parent, name);
        var colon = IsSymbol(_lexer.Peek(), ':');
        if (colon)
        {
            _lexer.Next();
        }

        var start = _lexer.Peek();
        if (IsSymbol(start, '['))
        {
            if (kind == PbtxtConfig.PbtxtFieldKind.Singular)
            {
                throw _lexer.Error(start, $"field '{PbtxtLexer.Clip(name)}' is not repeated; a [ ] list is not allowed");
            }

            _lexer.Next();
            Enter(start);
            if (!IsSymbol(_lexer.Peek(), ']'))
            {
                while (true)
                {
                    AddElement(target, parent, name, kind, hadColon: true);
                    var sep = _lexer.Next();
                    if (IsSymbol(sep, ']'))
                    {
                        break;
                    }

                    if (!IsSymbol(sep, ','))
                    {
                        throw _lexer.Error(sep, $"expected ',' or ']' in the list of '{PbtxtLexer.Clip(name)}', found {PbtxtLexer.Describe(sep)}");
                    }
                }
            }
            else
            {
                _lexer.Next();
            }

            _depth--;
            if (kind == PbtxtConfig.PbtxtFieldKind.Repeated)
            {
                GetOrAddList(target, nameToken);
            }
            else
            {
                GetOrAddMap(target, nameToken);
            }
        }
        else
        {
            AddElement(target, parent, name, kind, colon);
        }

        if (IsSymbol(_lexer.Peek(), ',') || IsSymbol(_lexer.Peek(), ';'))
        {
            _lexer.Next();
        }

        void AddElement(PbtxtObject obj, string? p, string n, PbtxtConfig.PbtxtFieldKind k, bool hadColon)
        {
            var at = _lexer.Peek();
            if (k == PbtxtConfig.PbtxtFieldKind.Map)
            {
                if (!IsOpen(at))
                {
                    throw _lexer.Error(at, $"map field '{PbtxtLexer.Clip(n)}' needs {{ key: ... value: ... }} entries");
                }

                var (key, value) = ParseMapEntry(p, n);
                var map = GetOrAddMap(obj, nameToken);
                if (map.Index.TryGetValue(key, out var i))
                {
                    map.Fields[i] = new(key, value);
                }
                else
                {
                    map.Index[key] = map.Fields.Count;
                    map.Fields.Add(new(key, value));
                }

                return;
            }

            var element = ParseValue(n, hadColon);
            if (k == PbtxtConfig.PbtxtFieldKind.Repeated)
            {
                GetOrAddList(obj, nameToken).Items.Add(element);
                return;
            }

            if (obj.Index.ContainsKey(n))
            {
                throw _lexer.Error(nameToken, $"field '{PbtxtLexer.Clip(n)}' is not repeated and is given more than once");
            }

            obj.Index[n] = obj.Fields.Count;
            obj.Fields.Add(new(n, element));
        }
    }

    private PbtxtArray GetOrAddList(PbtxtObject obj, PbtxtToken nameToken)
    {
        if (obj.Index.TryGetValue(nameToken.Text, out var i))
        {
            return (PbtxtArray)obj.Fields[i].Value;
        }

        var list = new PbtxtArray();
        obj.Index[nameToken.Text] = obj.Fields.Count;
        obj.Fields.Add(new(nameToken.Text, list));
        return list;
    }

    private PbtxtObject GetOrAddMap(PbtxtObject obj, PbtxtToken nameToken)
    {
        if (obj.Index.TryGetValue(nameToken.Text, out var i))
        {
            return (PbtxtObject)obj.Fields[i].Value;
        }

        var map = new PbtxtObject();
        obj.Index[nameToken.Text] = obj.Fields.Count;
        obj.Fields.Add(new(nameToken.Text, map));
        return map;
    }

    /// <summary>A scalar (after ':') or a message in braces (':' optional).</summary>
    private PbtxtNode ParseValue(string field, bool hadColon)
    {
        var t = _lexer.Peek();
        if (IsOpen(t))
        {
            return ParseMessage(field);
        }

        if (!hadColon)
        {
            throw _lexer.Error(t, $"expected ':' or '{{' after '{PbtxtLexer.Clip(field)}', found {PbtxtLexer.Describe(t)}");
        }

        return ParseScalar();
    }

    private PbtxtObject ParseMessage(string field)
    {
        var open = _lexer.Next();
        var close = open.Text == "<" ? '>' : '}';
        Enter(open);
        var obj = new PbtxtObject();
        while (!IsSymbol(_lexer.Peek(), close))
        {
            if (_lexer.Peek().Kind == PbtxtTokenKind.End)
            {
                throw _lexer.Error(_lexer.Peek(), $"missing '{close}' for the '{open.Text}' opened at {_lexer.Where(open.Start)}");
            }

            ParseField(obj, field);
        }

        _lexer.Next();
        _depth--;
        return obj;
    }

    /// <summary>One map entry: <c>{ key: K value: V }</c>; V is a scalar or a message.</summary>
    private (string Key, PbtxtNode Value) ParseMapEntry(string? parent, string field)
    {
        var open = _lexer.Next();
        var close = open.Text == "<" ? '>' : '}';
        Enter(open);
        string? key = null;
        PbtxtNode? value = null;
        while (!IsSymbol(_lexer.Peek(), close))
        {
            var name = _lexer.Next();
            if (name.Kind == PbtxtTokenKind.End)
            {
                throw _lexer.Error(name, $"missing '{close}' for the '{open.Text}' opened at {_lexer.Where(open.Start)}");
            }

            if (name.Kind != PbtxtTokenKind.Identifier || name.Text is not ("key" or "value"))
            {
                throw _lexer.Error(name, $"a '{PbtxtLexer.Clip(field)}' entry holds only 'key' and 'value', found {PbtxtLexer.Describe(name)}");
            }

            if ((name.Text == "key" ? key is not null : value is not null))
            {
                throw _lexer.Error(name, $"'{name.Text}' is given twice in a '{PbtxtLexer.Clip(field)}' entry");
            }

            var colon = IsSymbol(_lexer.Peek(), ':');
            if (colon)
            {
                _lexer.Next();
            }

            if (name.Text == "key")
            {
                var k = _lexer.Peek();
                if (!colon)
                {
                    throw _lexer.Error(k, $"expected ':' after 'key', found {PbtxtLexer.Describe(k)}");
                }

                var s = ParseScalar();
                if (s is not PbtxtScalar { Kind: PbtxtScalarKind.String or PbtxtScalarKind.Integer or PbtxtScalarKind.NegativeInteger } sk)
                {
                    throw _lexer.Error(k, $"a '{PbtxtLexer.Clip(field)}' key must be a string or an integer");
                }

                key = sk.Text;
            }
            else
            {
                // Fields inside a message value are looked up with the map's name as their parent.
                value = ParseValue(field, colon);
            }

            if (IsSymbol(_lexer.Peek(), ',') || IsSymbol(_lexer.Peek(), ';'))
            {
                _lexer.Next();
            }
        }

        _lexer.Next();
        _depth--;
        return (key ?? "", value ?? (PbtxtConfig.IsStringMap(parent, field) ? new PbtxtScalar(PbtxtScalarKind.String, "") : new PbtxtObject()));
    }

    private PbtxtScalar ParseScalar()
    {
        var t = _lexer.Next();
        switch (t.Kind)
        {
            case PbtxtTokenKind.String:
                var sb = new StringBuilder(t.Text);
                while (_lexer.Peek().Kind == PbtxtTokenKind.String)
                {
                    sb.Append(_lexer.Next().Text);
                }

                return new PbtxtScalar(PbtxtScalarKind.String, sb.ToString());
            case PbtxtTokenKind.Number:
                return Number(t, negative: false);
            case PbtxtTokenKind.Identifier:
                return Identifier(t, negative: false);
            case PbtxtTokenKind.Symbol when t.Text == "-":
                var n = _lexer.Next();
                return n.Kind switch
                {
                    PbtxtTokenKind.Number => Number(n, negative: true),
                    PbtxtTokenKind.Identifier => Identifier(n, negative: true),
                    _ => throw _lexer.Error(n, $"expected a number after '-', found {PbtxtLexer.Describe(n)}"),
                };
            default:
                throw _lexer.Error(t, $"expected a value, found {PbtxtLexer.Describe(t)}");
        }
    }

    private PbtxtScalar Identifier(PbtxtToken t, bool negative)
    {
        var lower = t.Text.ToLowerInvariant();
        if (lower is "inf" or "infinity" or "nan")
        {
            // protobuf JSON writes non-finite floats as strings.
            return new PbtxtScalar(PbtxtScalarKind.String, lower == "nan" ? "NaN" : negative ? "-Infinity" : "Infinity");
        }

        if (negative)
        {
            throw _lexer.Error(t, $"expected a number after '-', found {PbtxtLexer.Describe(t)}");
        }

        return t.Text switch
        {
            "true" or "True" => new PbtxtScalar(PbtxtScalarKind.Bool, "true"),
            "false" or "False" => new PbtxtScalar(PbtxtScalarKind.Bool, "false"),
            _ => new PbtxtScalar(PbtxtScalarKind.Identifier, t.Text),
        };
    }

    private PbtxtScalar Number(PbtxtToken t, bool negative)
    {
        var s = t.Text;
        if (s.Length > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        {
            if (!ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                throw _lexer.Error(t, $"invalid hexadecimal number {PbtxtLexer.Describe(t)}");
            }

            return Integer(t, hex, negative);
        }

        var isFloat = s.AsSpan().IndexOfAny(".eEfF") >= 0;
        if (!isFloat)
        {
            if (s.Length > 1 && s[0] == '0')
            {
                throw _lexer.Error(t, $"octal numbers are not supported: {PbtxtLexer.Describe(t)}");
            }

            if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var dec))
            {
                throw _lexer.Error(t, $"integer {PbtxtLexer.Describe(t)} is out of range");
            }

            return Integer(t, dec, negative);
        }

        var body = s[^1] is 'f' or 'F' ? s[..^1] : s;
        if (body.Length == 0 || (!char.IsAsciiDigit(body[^1]) && body[^1] != '.')
            || !double.TryParse(body, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d)
            || !double.IsFinite(d))
        {
            throw _lexer.Error(t, $"invalid number {PbtxtLexer.Describe(t)}");
        }

        return new PbtxtScalar(PbtxtScalarKind.Float, negative ? "-" + body : body);
    }

    private PbtxtScalar Integer(PbtxtToken t, ulong value, bool negative)
    {
        if (!negative)
        {
            return new PbtxtScalar(PbtxtScalarKind.Integer, value.ToString(CultureInfo.InvariantCulture));
        }

        if (value > (ulong)long.MaxValue + 1)
        {
            throw _lexer.Error(t, $"integer -{PbtxtLexer.Describe(t)} is out of range");
        }

        return value == 0
            ? new PbtxtScalar(PbtxtScalarKind.Integer, "0")
            : new PbtxtScalar(PbtxtScalarKind.NegativeInteger, "-" + value.ToString(CultureInfo.InvariantCulture));
    }

    private void Enter(PbtxtToken open)
    {
        if (++_depth > PbtxtConfig.MaxDepth)
        {
            throw _lexer.Error(open, $"nesting is deeper than {PbtxtConfig.MaxDepth} levels");
        }
    }

    private static bool IsSymbol(PbtxtToken t, char c) => t.Kind == PbtxtTokenKind.Symbol && t.Text.Length == 1 && t.Text[0] == c;

    private static bool IsOpen(PbtxtToken t) => IsSymbol(t, '{') || IsSymbol(t, '<');
}
