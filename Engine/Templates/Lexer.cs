using System.Globalization;

namespace LlmSuite.Engine.Templates;

/// <summary>
/// Tokenizes template source exactly like Jinja2 3.1's lexer configured with <c>trim_blocks=True</c> and
/// <c>lstrip_blocks=True</c>: newline normalization, one trailing newline dropped, <c>{%- -%}</c> / <c>{{- -}}</c>
/// / <c>{#- -#}</c> whitespace control, <c>+</c> to disable lstrip/trim, raw blocks and brace balancing inside tags.
/// Hand-written scanner (no regex).
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] Operators =
    [
        "**", "//", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";",
    ];

    private readonly string _src;
    private readonly List<Token> _tokens = [];
    private readonly List<int> _lineStarts = [0];

    private Lexer(string source)
    {
        _src = Normalize(source);
        for (var i = 0; i < _src.Length; i++)
        {
            if (_src[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>Tokenizes <paramref name="source"/>; the returned map converts token positions to line/column.</summary>
    public static (List<Token> Tokens, SourceMap Map) Tokenize(string source)
    {
        var lexer = new Lexer(source);
        lexer.Run();
        return (lexer._tokens, new SourceMap(lexer._lineStarts));
    }

    private static string Normalize(string source)
    {
        var s = source.Contains('\r') ? source.Replace("\r\n", "\n").Replace('\r', '\n') : source;
        return s.EndsWith('\n') ? s[..^1] : s;
    }

    private TemplateSyntaxException Error(string message, int pos)
    {
        var (line, col) = new SourceMap(_lineStarts).Locate(pos);
        return new TemplateSyntaxException(message, line, col);
    }

    private void Run()
    {
        var src = _src;
        var n = src.Length;
        var pos = 0;
        var lineStarting = true;
        while (pos < n)
        {
            var i = FindOpener(pos);
            if (i < 0)
            {
                _tokens.Add(new Token(TokenKind.Data, src[pos..], pos));
                break;
            }

            var text = src[pos..i];
            var kind = src[i + 1];
            if (kind == '%' && TryMatchRaw(i, out var rawSign, out var rawBodyStart))
            {
                EmitData(ApplyStrip(text, rawSign, isVariable: false, lineStarting), pos);
                pos = LexRaw(rawBodyStart, src[rawBodyStart - 1] == '\n');
                lineStarting = pos > 0 && src[pos - 1] == '\n';
                continue;
            }

            var sign = i + 2 < n && (src[i + 2] == '-' || src[i + 2] == '+') ? src[i + 2] : '\0';
            EmitData(ApplyStrip(text, sign, kind == '{', lineStarting), pos);
            pos = i + 2 + (sign == '\0' ? 0 : 1);
            switch (kind)
            {
                case '#':
                    pos = LexComment(pos, i);
                    break;
                case '%':
                    _tokens.Add(new Token(TokenKind.BlockBegin, "{%", i));
                    pos = LexTag(pos, block: true);
                    break;
                default:
                    _tokens.Add(new Token(TokenKind.VariableBegin, "{{", i));
                    pos = LexTag(pos, block: false);
                    break;
            }

            lineStarting = pos > 0 && src[pos - 1] == '\n';
        }

        _tokens.Add(new Token(TokenKind.Eof, "", n));
    }

    private void EmitData(string text, int pos)
    {
        if (text.Length > 0)
        {
            _tokens.Add(new Token(TokenKind.Data, text, pos));
        }
    }

    private int FindOpener(int from)
    {
        var src = _src;
        var i = from;
        while (true)
        {
            i = src.IndexOf('{', i);
            if (i < 0 || i + 1 >= src.Length)
            {
                return -1;
            }

            var c = src[i + 1];
            if (c == '{' || c == '%' || c == '#')
            {
                return i;
            }

            i++;
        }
    }

    /// <summary>Jinja2's OptionalLStrip: '-' strips all trailing whitespace; otherwise lstrip_blocks removes
    /// spaces/tabs between the last line start and a block or comment tag.</summary>
    private static string ApplyStrip(string text, char sign, bool isVariable, bool lineStarting)
    {
        if (sign == '-')
        {
            return PyString.RStripWhitespace(text);
        }

        if (sign == '+' || isVariable)
        {
            return text;
        }

        var lPos = text.LastIndexOf('\n') + 1;
        if (lPos > 0 || lineStarting)
        {
            if (lPos < text.Length && AllWhitespace(text, lPos))
            {
                return text[..lPos];
            }
        }

        return text;
    }

    private static bool AllWhitespace(string s, int from)
    {
        for (var i = from; i < s.Length; i++)
        {
            if (!PyString.IsSpace(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    private int SkipWhitespace(int pos)
    {
        while (pos < _src.Length && PyString.IsSpace(_src[pos]))
        {
            pos++;
        }

        return pos;
    }

    private bool TryMatchRaw(int i, out char sign, out int bodyStart)
    {
        var src = _src;
        var p = i + 2;
        sign = p < src.Length && (src[p] == '-' || src[p] == '+') ? src[p] : '\0';
        if (sign != '\0')
        {
            p++;
        }

        p = SkipWhitespace(p);
        bodyStart = 0;
        if (string.CompareOrdinal(src, p, "raw", 0, 3) != 0)
        {
            return false;
        }

        p = SkipWhitespace(p + 3);
        if (string.CompareOrdinal(src, p, "-%}", 0, 3) == 0)
        {
            bodyStart = SkipWhitespace(p + 3);
            return true;
        }

        if (string.CompareOrdinal(src, p, "%}", 0, 2) == 0)
        {
            bodyStart = p + 2;
            return true;
        }

        return false;
    }

    private int LexRaw(int start, bool lineStarting)
    {
        var src = _src;
        for (var j = start; j < src.Length; j++)
        {
            if (src[j] != '{' || j + 1 >= src.Length || src[j + 1] != '%')
            {
                continue;
            }

            var p = j + 2;
            var sign = p < src.Length && (src[p] == '-' || src[p] == '+') ? src[p] : '\0';
            if (sign != '\0')
            {
                p++;
            }

            p = SkipWhitespace(p);
            if (string.CompareOrdinal(src, p, "endraw", 0, 6) != 0)
            {
                continue;
            }

            p = SkipWhitespace(p + 6);
            int end;
            if (string.CompareOrdinal(src, p, "+%}", 0, 3) == 0)
            {
                end = p + 3;
            }
            else if (string.CompareOrdinal(src, p, "-%}", 0, 3) == 0)
            {
                end = SkipWhitespace(p + 3);
            }
            else if (string.CompareOrdinal(src, p, "%}", 0, 2) == 0)
            {
                end = p + 2;
                if (end < src.Length && src[end] == '\n')
                {
                    end++;
                }
            }
            else
            {
                continue;
            }

            EmitData(ApplyStrip(src[start..j], sign, isVariable: false, lineStarting), start);
            return end;
        }

        throw Error("Missing end of raw directive", start);
    }

    private int LexComment(int pos, int openerPos)
    {
        var src = _src;
        for (var j = pos; j < src.Length; j++)
        {
            var c = src[j];
            if ((c == '+' || c == '-') && j + 2 < src.Length && src[j + 1] == '#' && src[j + 2] == '}')
            {
                return c == '-' ? SkipWhitespace(j + 3) : j + 3;
            }

            if (c == '#' && j + 1 < src.Length && src[j + 1] == '}')
            {
                var end = j + 2;
                if (end < src.Length && src[end] == '\n')
                {
                    end++;
                }

                return end;
            }
        }

        throw Error("Missing end of comment tag", openerPos);
    }

    private int LexTag(int pos, bool block)
    {
        var src = _src;
        var n = src.Length;
        var balance = new Stack<char>();
        while (pos < n)
        {
            if (balance.Count == 0)
            {
                if (block)
                {
                    if (string.CompareOrdinal(src, pos, "+%}", 0, 3) == 0)
                    {
                        _tokens.Add(new Token(TokenKind.BlockEnd, "%}", pos));
                        return pos + 3;
                    }

                    if (string.CompareOrdinal(src, pos, "-%}", 0, 3) == 0)
                    {
                        _tokens.Add(new Token(TokenKind.BlockEnd, "%}", pos));
                        return SkipWhitespace(pos + 3);
                    }

                    if (string.CompareOrdinal(src, pos, "%}", 0, 2) == 0)
                    {
                        _tokens.Add(new Token(TokenKind.BlockEnd, "%}", pos));
                        var end = pos + 2;
                        return end < n && src[end] == '\n' ? end + 1 : end;
                    }
                }
                else
                {
                    if (string.CompareOrdinal(src, pos, "-}}", 0, 3) == 0)
                    {
                        _tokens.Add(new Token(TokenKind.VariableEnd, "}}", pos));
                        return SkipWhitespace(pos + 3);
                    }

                    if (string.CompareOrdinal(src, pos, "}}", 0, 2) == 0)
                    {
                        _tokens.Add(new Token(TokenKind.VariableEnd, "}}", pos));
                        return pos + 2;
                    }
                }
            }

            var c = src[pos];
            if (PyString.IsSpace(c))
            {
                pos = SkipWhitespace(pos);
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                pos = LexNumber(pos);
                continue;
            }

            if (c == '_' || char.IsLetter(c))
            {
                var start = pos;
                while (pos < n && (src[pos] == '_' || char.IsLetterOrDigit(src[pos])))
                {
                    pos++;
                }

                _tokens.Add(new Token(TokenKind.Name, string.Intern(src[start..pos]), start));
                continue;
            }

            if (c == '\'' || c == '"')
            {
                pos = LexString(pos);
                continue;
            }

            var op = MatchOperator(pos);
            if (op is null)
            {
                throw Error($"unexpected char {PyRepr.Repr(c.ToString())} at {pos}", pos);
            }

            if (op == "{" || op == "(" || op == "[")
            {
                balance.Push(op == "{" ? '}' : op == "(" ? ')' : ']');
            }
            else if (op == "}" || op == ")" || op == "]")
            {
                if (balance.Count == 0)
                {
                    throw Error($"unexpected '{op}'", pos);
                }

                var expected = balance.Pop();
                if (expected != op[0])
                {
                    throw Error($"unexpected '{op}', expected '{expected}'", pos);
                }
            }

            _tokens.Add(new Token(TokenKind.Operator, op, pos));
            pos += op.Length;
        }

        return pos;
    }

    private string? MatchOperator(int pos)
    {
        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(_src, pos, op, 0, op.Length) == 0)
            {
                return op;
            }
        }

        return null;
    }

    private int ScanDigits(int pos)
    {
        // (\d+_)*\d+
        var src = _src;
        var start = pos;
        while (pos < src.Length)
        {
            if (char.IsAsciiDigit(src[pos]))
            {
                pos++;
            }
            else if (src[pos] == '_' && pos > start && pos + 1 < src.Length && char.IsAsciiDigit(src[pos + 1]))
            {
                pos++;
            }
            else
            {
                break;
            }
        }

        return pos;
    }

    private int LexNumber(int start)
    {
        var src = _src;
        var n = src.Length;
        var precededByDot = start > 0 && src[start - 1] == '.';
        if (!precededByDot)
        {
            var p = ScanDigits(start);
            var hasFraction = false;
            var q = p;
            if (q + 1 < n && src[q] == '.' && char.IsAsciiDigit(src[q + 1]))
            {
                q = ScanDigits(q + 1);
                hasFraction = true;
            }

            var r = q;
            var hasExp = false;
            if (r < n && (src[r] == 'e' || src[r] == 'E'))
            {
                var e = r + 1;
                if (e < n && (src[e] == '+' || src[e] == '-'))
                {
                    e++;
                }

                if (e < n && char.IsAsciiDigit(src[e]))
                {
                    r = ScanDigits(e);
                    hasExp = true;
                }
            }

            if (hasFraction || hasExp)
            {
                var end = hasExp ? r : q;
                var text = src[start..end];
                var value = double.Parse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture);
                _tokens.Add(new Token(TokenKind.Float, text, start, value));
                return end;
            }
        }

        // integer: 0b / 0o / 0x / decimal / zero
        if (src[start] == '0' && start + 1 < n && "bBoOxX".Contains(src[start + 1]))
        {
            var radix = char.ToLowerInvariant(src[start + 1]) switch { 'b' => 2, 'o' => 8, _ => 16 };
            var p = start + 2;
            long value = 0;
            var digits = 0;
            while (p < n)
            {
                var ch = src[p];
                if (ch == '_' && p + 1 < n && DigitValue(src[p + 1]) is var dv && dv >= 0 && dv < radix)
                {
                    p++;
                    continue;
                }

                var d = DigitValue(ch);
                if (d < 0 || d >= radix)
                {
                    break;
                }

                value = checked(value * radix + d);
                digits++;
                p++;
            }

            if (digits > 0)
            {
                _tokens.Add(new Token(TokenKind.Integer, src[start..p], start, value));
                return p;
            }

            _tokens.Add(new Token(TokenKind.Integer, "0", start, 0L));
            return start + 1;
        }

        int stop;
        if (src[start] == '0')
        {
            // 0(_?0)*
            stop = start + 1;
            while (stop < n)
            {
                if (src[stop] == '0')
                {
                    stop++;
                }
                else if (src[stop] == '_' && stop + 1 < n && src[stop + 1] == '0')
                {
                    stop += 2;
                }
                else
                {
                    break;
                }
            }
        }
        else
        {
            stop = ScanDigits(start);
        }

        var digitsText = src[start..stop];
        if (!long.TryParse(digitsText.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var iv))
        {
            throw Error($"integer literal {digitsText} is too large", start);
        }

        _tokens.Add(new Token(TokenKind.Integer, digitsText, start, iv));
        return stop;
    }

    internal static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private int LexString(int start)
    {
        var src = _src;
        var quote = src[start];
        var p = start + 1;
        while (p < src.Length)
        {
            var c = src[p];
            if (c == '\\')
            {
                p += 2;
                continue;
            }

            if (c == quote)
            {
                var raw = src.Substring(start + 1, p - start - 1);
                string value;
                try
                {
                    value = StringLiteral.Unescape(raw);
                }
                catch (FormatException e)
                {
                    throw Error(e.Message, start);
                }

                _tokens.Add(new Token(TokenKind.String, value, start, value));
                return p + 1;
            }

            p++;
        }

        throw Error($"unexpected char {PyRepr.Repr(quote.ToString())} at {start}", start);
    }
}
