using System.Buffers;
using System.Globalization;
using System.Text;

namespace Inferd.Core.Repository;


internal enum PbtxtTokenKind
{
    End,
    Identifier,
    Number,
    String,
    Symbol,
}

internal readonly record struct PbtxtToken(PbtxtTokenKind Kind, string Text, int Start);

/// <summary>Tokenizer of the protobuf text format: identifiers, numbers, quoted strings with C escapes, symbols, # comments.</summary>
internal sealed class PbtxtLexer(string text)
{
    private readonly string _text = text;
    private int _pos;
    private PbtxtToken _current;
    private bool _hasCurrent;

    public PbtxtToken Peek()
    {
        if (!_hasCurrent)
        {
            _current = Lex();
            _hasCurrent = true;
        }

        return _current;
    }

    public PbtxtToken Next()
    {
        var t = Peek();
        _hasCurrent = false;
        return t;
    }

    private PbtxtToken Lex()
    {
        SkipSpaceAndComments();
        if (_pos >= _text.Length)
        {
            return new PbtxtToken(PbtxtTokenKind.End, "", _pos);
        }

        var start = _pos;
        var c = _text[_pos];
        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
            {
                _pos++;
            }

            return new PbtxtToken(PbtxtTokenKind.Identifier, _text[start.._pos], start);
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
            return new PbtxtToken(PbtxtTokenKind.Symbol, c.ToString(), start);
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

    private PbtxtToken LexNumber(int start)
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

        return new PbtxtToken(PbtxtTokenKind.Number, _text[start.._pos], start);
    }

    private PbtxtToken LexString(int start, char quote)
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

        return new PbtxtToken(PbtxtTokenKind.String, value, start);
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    public ModelConfigException Error(PbtxtToken t, string message) => Error(t.Start, message);

    public ModelConfigException Error(int position, string message) => new($"config.pbtxt {Where(position)}: {message}");

    public string Where(int position)
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

    public static string Describe(PbtxtToken t) => t.Kind switch
    {
        PbtxtTokenKind.End => "end of file",
        PbtxtTokenKind.String => "a string",
        _ => $"'{Clip(t.Text)}'",
    };

    private static string DescribeChar(char c) =>
        c is >= ' ' and < (char)0x7f ? $"'{c}'" : $"U+{(int)c:X4}";

    public static string Clip(string text) => text.Length > 32 ? text[..32] + "..." : text;
}
