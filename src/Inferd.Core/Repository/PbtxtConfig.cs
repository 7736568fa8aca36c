using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Inferd.Core.Repository;

/// <summary>
/// Converts Triton's <c>config.pbtxt</c> (protobuf text format of <c>inference.ModelConfig</c>, protocol.md §11)
/// into the protobuf-JSON form that <see cref="ModelConfigJson.Read"/> parses. The parser is small, strict and
/// bounded (1 MiB of text, 31 levels of nesting); it knows which fields of ModelConfig are repeated and which are
/// maps, and leaves every other check (unknown fields, types, ranges) to <see cref="ModelConfigJson"/>.
/// </summary>
internal static class PbtxtConfig
{
    /// <summary>Largest text accepted, in characters.</summary>
    public const int MaxChars = 1024 * 1024;

    /// <summary>Deepest nesting of <c>{ }</c>, <c>&lt; &gt;</c> and <c>[ ]</c>.</summary>
    // One below ModelConfigJson's JSON limit of 32: the conversion adds one level (the root object).
    public const int MaxDepth = 31;

    /// <summary>Every <c>repeated</c> field of ModelConfig and its sub-messages (protocol.md §11.3), plus GraphSpec's <c>dim</c>.</summary>
    private static readonly HashSet<string> Repeated = new(StringComparer.Ordinal)
    {
        "input", "output", "instance_group", "model_warmup", "batch_input", "batch_output",
        "dims", "shape", "versions", "preferred_batch_size", "gpus", "profile", "secondary_devices", "resources",
        "gpu_execution_accelerator", "cpu_execution_accelerator", "graph_spec", "dim",
        "control_input", "control", "int32_false_true", "fp32_false_true", "bool_false_true", "state", "initial_state",
        "step", "op_library_filename", "agents", "metric_control", "buckets", "target_name", "source_input",
    };

    /// <summary>Map fields whose key is the same wherever they occur.</summary>
    private static readonly HashSet<string> Maps = new(StringComparer.Ordinal)
    {
        "parameters", "cc_model_filenames", "metric_tags", "priority_queue_policy", "input_map", "output_map",
    };

    /// <summary>Converts pbtxt text to JSON. Throws <see cref="ModelConfigException"/> with line and column on any error.</summary>
    public static string ToJson(string pbtxt)
    {
        ArgumentNullException.ThrowIfNull(pbtxt);
        if (pbtxt.Length > MaxChars)
        {
            throw new ModelConfigException("config.pbtxt is larger than 1 MiB");
        }

        var root = new Parser(pbtxt).ParseRoot();
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = MaxDepth * 2 + 4 }))
        {
            Write(w, root);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private enum FieldKind
    {
        Singular,
        Repeated,
        Map,
    }

    private static FieldKind KindOf(string? parent, string field)
    {
        if (Maps.Contains(field)
            || (field == "inputs" && parent == "model_warmup")
            || (field == "input" && parent is "graph_spec" or "lower_bound"))
        {
            return FieldKind.Map;
        }

        return Repeated.Contains(field) ? FieldKind.Repeated : FieldKind.Singular;
    }

    /// <summary>Maps whose values are strings (a missing <c>value</c> is then "" rather than an empty message).</summary>
    private static bool IsStringMap(string? parent, string field) =>
        field is "cc_model_filenames" or "metric_tags" or "input_map" or "output_map"
        || (field == "parameters" && parent is "gpu_execution_accelerator" or "cpu_execution_accelerator" or "agents");

    // ---- tree -------------------------------------------------------------------------------------------------

    private abstract class Node;

    private enum ScalarKind
    {
        String,
        Integer,
        NegativeInteger,
        Float,
        Bool,
        Identifier,
    }

    private sealed class Scalar(ScalarKind kind, string text) : Node
    {
        public ScalarKind Kind { get; } = kind;

        public string Text { get; } = text;
    }

    /// <summary>A message or a map: names in order of first appearance.</summary>
    private sealed class Obj : Node
    {
        public List<KeyValuePair<string, Node>> Fields { get; } = [];

        public Dictionary<string, int> Index { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Arr : Node
    {
        public List<Node> Items { get; } = [];
    }

    private static void Write(Utf8JsonWriter w, Node node)
    {
        switch (node)
        {
            case Obj o:
                w.WriteStartObject();
                foreach (var (name, value) in o.Fields)
                {
                    w.WritePropertyName(name);
                    Write(w, value);
                }

                w.WriteEndObject();
                break;
            case Arr a:
                w.WriteStartArray();
                foreach (var item in a.Items)
                {
                    Write(w, item);
                }

                w.WriteEndArray();
                break;
            case Scalar s:
                WriteScalar(w, s);
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter w, Scalar s)
    {
        switch (s.Kind)
        {
            case ScalarKind.String:
            case ScalarKind.Identifier:
                w.WriteStringValue(s.Text);
                break;
            case ScalarKind.Bool:
                w.WriteBooleanValue(s.Text == "true");
                break;
            case ScalarKind.Integer:
                var u = ulong.Parse(s.Text, NumberStyles.None, CultureInfo.InvariantCulture);
                if (u <= long.MaxValue)
                {
                    w.WriteNumberValue((long)u);
                }
                else
                {
                    w.WriteNumberValue(u);
                }

                break;
            case ScalarKind.NegativeInteger:
                w.WriteNumberValue(long.Parse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
                break;
            default:
                w.WriteNumberValue(double.Parse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture));
                break;
        }
    }

    // ---- tokenizer + parser -----------------------------------------------------------------------------------

    private enum TokenKind
    {
        End,
        Identifier,
        Number,
        String,
        Symbol,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Start);

    private sealed class Parser(string text)
    {
        private readonly string _text = text;
        private int _pos;
        private int _depth;
        private Token _current;
        private bool _hasCurrent;

        public Obj ParseRoot()
        {
            var root = new Obj();
            while (Peek().Kind != TokenKind.End)
            {
                ParseField(root, null);
            }

            return root;
        }

        // Field := name [':'] (value | '{' ... '}' | '[' ... ']') [',' | ';']
        private void ParseField(Obj target, string? parent)
        {
            var nameToken = Next();
            if (nameToken.Kind != TokenKind.Identifier)
            {
                throw Error(nameToken, $"expected a field name, found {Describe(nameToken)}");
            }

            var name = nameToken.Text;
            var kind = KindOf(parent, name);
            var colon = IsSymbol(Peek(), ':');
            if (colon)
            {
                Next();
            }

            var start = Peek();
            if (IsSymbol(start, '['))
            {
                if (kind == FieldKind.Singular)
                {
                    throw Error(start, $"field '{Clip(name)}' is not repeated; a [ ] list is not allowed");
                }

                Next();
                Enter(start);
                if (!IsSymbol(Peek(), ']'))
                {
                    while (true)
                    {
                        AddElement(target, parent, name, kind, hadColon: true);
                        var sep = Next();
                        if (IsSymbol(sep, ']'))
                        {
                            break;
                        }

                        if (!IsSymbol(sep, ','))
                        {
                            throw Error(sep, $"expected ',' or ']' in the list of '{Clip(name)}', found {Describe(sep)}");
                        }
                    }
                }
                else
                {
                    Next();
                }

                _depth--;
                if (kind == FieldKind.Repeated)
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

            if (IsSymbol(Peek(), ',') || IsSymbol(Peek(), ';'))
            {
                Next();
            }

            void AddElement(Obj obj, string? p, string n, FieldKind k, bool hadColon)
            {
                var at = Peek();
                if (k == FieldKind.Map)
                {
                    if (!IsOpen(at))
                    {
                        throw Error(at, $"map field '{Clip(n)}' needs {{ key: ... value: ... }} entries");
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
                if (k == FieldKind.Repeated)
                {
                    GetOrAddList(obj, nameToken).Items.Add(element);
                    return;
                }

                if (obj.Index.ContainsKey(n))
                {
                    throw Error(nameToken, $"field '{Clip(n)}' is not repeated and is given more than once");
                }

                obj.Index[n] = obj.Fields.Count;
                obj.Fields.Add(new(n, element));
            }
        }

        private Arr GetOrAddList(Obj obj, Token nameToken)
        {
            if (obj.Index.TryGetValue(nameToken.Text, out var i))
            {
                return (Arr)obj.Fields[i].Value;
            }

            var list = new Arr();
            obj.Index[nameToken.Text] = obj.Fields.Count;
            obj.Fields.Add(new(nameToken.Text, list));
            return list;
        }

        private Obj GetOrAddMap(Obj obj, Token nameToken)
        {
            if (obj.Index.TryGetValue(nameToken.Text, out var i))
            {
                return (Obj)obj.Fields[i].Value;
            }

            var map = new Obj();
            obj.Index[nameToken.Text] = obj.Fields.Count;
            obj.Fields.Add(new(nameToken.Text, map));
            return map;
        }

        /// <summary>A scalar (after ':') or a message in braces (':' optional).</summary>
        private Node ParseValue(string field, bool hadColon)
        {
            var t = Peek();
            if (IsOpen(t))
            {
                return ParseMessage(field);
            }

            if (!hadColon)
            {
                throw Error(t, $"expected ':' or '{{' after '{Clip(field)}', found {Describe(t)}");
            }

            return ParseScalar();
        }

        private Obj ParseMessage(string field)
        {
            var open = Next();
            var close = open.Text == "<" ? '>' : '}';
            Enter(open);
            var obj = new Obj();
            while (!IsSymbol(Peek(), close))
            {
                if (Peek().Kind == TokenKind.End)
                {
                    throw Error(Peek(), $"missing '{close}' for the '{open.Text}' opened at {Where(open.Start)}");
                }

                ParseField(obj, field);
            }

            Next();
            _depth--;
            return obj;
        }

        /// <summary>One map entry: <c>{ key: K value: V }</c>; V is a scalar or a message.</summary>
        private (string Key, Node Value) ParseMapEntry(string? parent, string field)
        {
            var open = Next();
            var close = open.Text == "<" ? '>' : '}';
            Enter(open);
            string? key = null;
            Node? value = null;
            while (!IsSymbol(Peek(), close))
            {
                var name = Next();
                if (name.Kind == TokenKind.End)
                {
                    throw Error(name, $"missing '{close}' for the '{open.Text}' opened at {Where(open.Start)}");
                }

                if (name.Kind != TokenKind.Identifier || name.Text is not ("key" or "value"))
                {
                    throw Error(name, $"a '{Clip(field)}' entry holds only 'key' and 'value', found {Describe(name)}");
                }

                if ((name.Text == "key" ? key is not null : value is not null))
                {
                    throw Error(name, $"'{name.Text}' is given twice in a '{Clip(field)}' entry");
                }

                var colon = IsSymbol(Peek(), ':');
                if (colon)
                {
                    Next();
                }

                if (name.Text == "key")
                {
                    var k = Peek();
                    if (!colon)
                    {
                        throw Error(k, $"expected ':' after 'key', found {Describe(k)}");
                    }

                    var s = ParseScalar();
                    if (s is not Scalar { Kind: ScalarKind.String or ScalarKind.Integer or ScalarKind.NegativeInteger } sk)
                    {
                        throw Error(k, $"a '{Clip(field)}' key must be a string or an integer");
                    }

                    key = sk.Text;
                }
                else
                {
                    // Fields inside a message value are looked up with the map's name as their parent.
                    value = ParseValue(field, colon);
                }

                if (IsSymbol(Peek(), ',') || IsSymbol(Peek(), ';'))
                {
                    Next();
                }
            }

            Next();
            _depth--;
            return (key ?? "", value ?? (IsStringMap(parent, field) ? new Scalar(ScalarKind.String, "") : new Obj()));
        }

        private Scalar ParseScalar()
        {
            var t = Next();
            switch (t.Kind)
            {
                case TokenKind.String:
                    var sb = new StringBuilder(t.Text);
                    while (Peek().Kind == TokenKind.String)
                    {
                        sb.Append(Next().Text);
                    }

                    return new Scalar(ScalarKind.String, sb.ToString());
                case TokenKind.Number:
                    return Number(t, negative: false);
                case TokenKind.Identifier:
                    return Identifier(t, negative: false);
                case TokenKind.Symbol when t.Text == "-":
                    var n = Next();
                    return n.Kind switch
                    {
                        TokenKind.Number => Number(n, negative: true),
                        TokenKind.Identifier => Identifier(n, negative: true),
                        _ => throw Error(n, $"expected a number after '-', found {Describe(n)}"),
                    };
                default:
                    throw Error(t, $"expected a value, found {Describe(t)}");
            }
        }

        private Scalar Identifier(Token t, bool negative)
        {
            var lower = t.Text.ToLowerInvariant();
            if (lower is "inf" or "infinity" or "nan")
            {
                // protobuf JSON writes non-finite floats as strings.
                return new Scalar(ScalarKind.String, lower == "nan" ? "NaN" : negative ? "-Infinity" : "Infinity");
            }

            if (negative)
            {
                throw Error(t, $"expected a number after '-', found {Describe(t)}");
            }

            return t.Text switch
            {
                "true" or "True" => new Scalar(ScalarKind.Bool, "true"),
                "false" or "False" => new Scalar(ScalarKind.Bool, "false"),
                _ => new Scalar(ScalarKind.Identifier, t.Text),
            };
        }

        private Scalar Number(Token t, bool negative)
        {
            var s = t.Text;
            if (s.Length > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
            {
                if (!ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
                {
                    throw Error(t, $"invalid hexadecimal number {Describe(t)}");
                }

                return Integer(t, hex, negative);
            }

            var isFloat = s.AsSpan().IndexOfAny(".eEfF") >= 0;
            if (!isFloat)
            {
                if (s.Length > 1 && s[0] == '0')
                {
                    throw Error(t, $"octal numbers are not supported: {Describe(t)}");
                }

                if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var dec))
                {
                    throw Error(t, $"integer {Describe(t)} is out of range");
                }

                return Integer(t, dec, negative);
            }

            var body = s[^1] is 'f' or 'F' ? s[..^1] : s;
            if (body.Length == 0 || (!char.IsAsciiDigit(body[^1]) && body[^1] != '.')
                || !double.TryParse(body, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d)
                || !double.IsFinite(d))
            {
                throw Error(t, $"invalid number {Describe(t)}");
            }

            return new Scalar(ScalarKind.Float, negative ? "-" + body : body);
        }

        private Scalar Integer(Token t, ulong value, bool negative)
        {
            if (!negative)
            {
                return new Scalar(ScalarKind.Integer, value.ToString(CultureInfo.InvariantCulture));
            }

            if (value > (ulong)long.MaxValue + 1)
            {
                throw Error(t, $"integer -{Describe(t)} is out of range");
            }

            return value == 0
                ? new Scalar(ScalarKind.Integer, "0")
                : new Scalar(ScalarKind.NegativeInteger, "-" + value.ToString(CultureInfo.InvariantCulture));
        }

        private void Enter(Token open)
        {
            if (++_depth > MaxDepth)
            {
                throw Error(open, $"nesting is deeper than {MaxDepth} levels");
            }
        }

        private static bool IsSymbol(Token t, char c) => t.Kind == TokenKind.Symbol && t.Text.Length == 1 && t.Text[0] == c;

        private static bool IsOpen(Token t) => IsSymbol(t, '{') || IsSymbol(t, '<');

        private Token Peek()
        {
            if (!_hasCurrent)
            {
                _current = Lex();
                _hasCurrent = true;
            }

            return _current;
        }

        private Token Next()
        {
            var t = Peek();
            _hasCurrent = false;
            return t;
        }

        private Token Lex()
        {
            SkipSpaceAndComments();
            if (_pos >= _text.Length)
            {
                return new Token(TokenKind.End, "", _pos);
            }

            var start = _pos;
            var c = _text[_pos];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
                {
                    _pos++;
                }

                return new Token(TokenKind.Identifier, _text[start.._pos], start);
            }

            if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1])))
            {
                return LexNumber(start);
            }

            if (c is '"' or '\'')
            {
                return LexString(start, c);
            }

            if (c is '{' or '}' or '[' or ']' or '<' or '>' or ':' or ',' or ';' or '-')
            {
                _pos++;
                return new Token(TokenKind.Symbol, c.ToString(), start);
            }

            throw Error(start, $"unexpected character {DescribeChar(c)}");
        }

        private void SkipSpaceAndComments()
        {
            while (_pos < _text.Length)
            {
                var c = _text[_pos];
                if (c == '#')
                {
                    while (_pos < _text.Length && _text[_pos] != '\n')
                    {
                        _pos++;
                    }
                }
                else if (c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v')
                {
                    _pos++;
                }
                else
                {
                    return;
                }
            }
        }

        private Token LexNumber(int start)
        {
            if (_text[_pos] == '0' && _pos + 1 < _text.Length && _text[_pos + 1] is 'x' or 'X')
            {
                _pos += 2;
                while (_pos < _text.Length && char.IsAsciiHexDigit(_text[_pos]))
                {
                    _pos++;
                }
            }
            else
            {
                while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
                {
                    _pos++;
                }

                if (_pos < _text.Length && _text[_pos] == '.')
                {
                    _pos++;
                    while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
                    {
                        _pos++;
                    }
                }

                if (_pos < _text.Length && _text[_pos] is 'e' or 'E')
                {
                    _pos++;
                    if (_pos < _text.Length && _text[_pos] is '+' or '-')
                    {
                        _pos++;
                    }

                    var digits = _pos;
                    while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
                    {
                        _pos++;
                    }

                    if (digits == _pos)
                    {
                        throw Error(start, $"invalid number {Clip(_text[start.._pos])}");
                    }
                }

                if (_pos < _text.Length && _text[_pos] is 'f' or 'F')
                {
                    _pos++;
                }
            }

            if (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '.'))
            {
                var end = _pos;
                while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] is '_' or '.'))
                {
                    end++;
                }

                throw Error(start, $"invalid number {Clip(_text[start..end])}");
            }

            return new Token(TokenKind.Number, _text[start.._pos], start);
        }

        private Token LexString(int start, char quote)
        {
            _pos++;
            var bytes = new ArrayBufferWriter<byte>(32);
            Span<byte> utf8 = stackalloc byte[4];
            while (true)
            {
                if (_pos >= _text.Length || _text[_pos] == '\n')
                {
                    throw Error(start, "unterminated string");
                }

                var c = _text[_pos];
                if (c == quote)
                {
                    _pos++;
                    break;
                }

                if (c != '\\')
                {
                    if (!Rune.TryGetRuneAt(_text, _pos, out var rune))
                    {
                        throw Error(_pos, "invalid UTF-16 in string");
                    }

                    bytes.Write(utf8[..rune.EncodeToUtf8(utf8)]);
                    _pos += rune.Utf16SequenceLength;
                    continue;
                }

                var escapeAt = _pos;
                _pos++;
                if (_pos >= _text.Length)
                {
                    throw Error(start, "unterminated string");
                }

                var e = _text[_pos++];
                switch (e)
                {
                    case 'n': bytes.Write("\n"u8); break;
                    case 't': bytes.Write("\t"u8); break;
                    case 'r': bytes.Write("\r"u8); break;
                    case 'a': bytes.Write("\a"u8); break;
                    case 'b': bytes.Write("\b"u8); break;
                    case 'f': bytes.Write("\f"u8); break;
                    case 'v': bytes.Write("\v"u8); break;
                    case '\\': bytes.Write("\\"u8); break;
                    case '\'': bytes.Write("'"u8); break;
                    case '"': bytes.Write("\""u8); break;
                    case '?': bytes.Write("?"u8); break;
                    case >= '0' and <= '7':
                        var octal = e - '0';
                        for (var i = 0; i < 2 && _pos < _text.Length && _text[_pos] is >= '0' and <= '7'; i++)
                        {
                            octal = (octal * 8) + (_text[_pos++] - '0');
                        }

                        if (octal > 255)
                        {
                            throw Error(escapeAt, "octal escape is larger than \\377");
                        }

                        bytes.Write([(byte)octal]);
                        break;
                    case 'x' or 'X':
                        var hex = 0;
                        var count = 0;
                        while (count < 2 && _pos < _text.Length && char.IsAsciiHexDigit(_text[_pos]))
                        {
                            hex = (hex * 16) + HexValue(_text[_pos++]);
                            count++;
                        }

                        if (count == 0)
                        {
                            throw Error(escapeAt, "\\x needs a hexadecimal digit");
                        }

                        bytes.Write([(byte)hex]);
                        break;
                    case 'u' or 'U':
                        var len = e == 'u' ? 4 : 8;
                        if (_pos + len > _text.Length || !int.TryParse(_text.AsSpan(_pos, len), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                            || !Rune.IsValid(code))
                        {
                            throw Error(escapeAt, $"invalid \\{e} escape");
                        }

                        _pos += len;
                        bytes.Write(utf8[..new Rune(code).EncodeToUtf8(utf8)]);
                        break;
                    default:
                        throw Error(escapeAt, $"unknown escape \\{DescribeChar(e)}");
                }
            }

            string value;
            try
            {
                value = new UTF8Encoding(false, true).GetString(bytes.WrittenSpan);
            }
            catch (DecoderFallbackException)
            {
                throw Error(start, "string escapes do not form valid UTF-8");
            }

            return new Token(TokenKind.String, value, start);
        }

        private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

        private ModelConfigException Error(Token t, string message) => Error(t.Start, message);

        private ModelConfigException Error(int position, string message) => new($"config.pbtxt {Where(position)}: {message}");

        private string Where(int position)
        {
            var line = 1;
            var column = 1;
            for (var i = 0; i < position && i < _text.Length; i++)
            {
                if (_text[i] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }

            return $"line {line}, column {column}";
        }

        private static string Describe(Token t) => t.Kind switch
        {
            TokenKind.End => "end of file",
            TokenKind.String => "a string",
            _ => $"'{Clip(t.Text)}'",
        };

        private static string DescribeChar(char c) =>
            c is >= ' ' and < (char)0x7f ? $"'{c}'" : $"U+{(int)c:X4}";

        private static string Clip(string text) => text.Length > 32 ? text[..32] + "..." : text;
    }
}
