using System.Text;

namespace LlmSuite.Engine.Templates;

/// <summary>Decodes template string literals the way Jinja2 does (Python <c>unicode-escape</c>).</summary>
internal static class StringLiteral
{
    /// <summary>Python's <c>unicode-escape</c> decoding of a string literal body.</summary>
    public static string Unescape(string raw)
    {
        if (!raw.Contains('\\'))
        {
            return raw;
        }

        var sb = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '\\' || i + 1 >= raw.Length)
            {
                sb.Append(c);
                continue;
            }

            var e = raw[++i];
            switch (e)
            {
                case '\n': break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case >= '0' and <= '7':
                {
                    var v = e - '0';
                    var k = 1;
                    while (k < 3 && i + 1 < raw.Length && raw[i + 1] >= '0' && raw[i + 1] <= '7')
                    {
                        v = v * 8 + (raw[++i] - '0');
                        k++;
                    }

                    sb.Append((char)v);
                    break;
                }

                case 'x':
                case 'u':
                case 'U':
                {
                    var len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + len >= raw.Length)
                    {
                        throw new FormatException($"truncated \\{e}{new string('X', len)} escape");
                    }

                    var cp = 0;
                    for (var k = 1; k <= len; k++)
                    {
                        var d = Lexer.DigitValue(raw[i + k]);
                        if (d < 0)
                        {
                            throw new FormatException($"truncated \\{e}{new string('X', len)} escape");
                        }

                        cp = cp * 16 + d;
                    }

                    i += len;
                    if (cp > 0x10FFFF)
                    {
                        throw new FormatException("illegal Unicode character");
                    }

                    sb.Append(CharExtensions.ConvertFromUtf32IfValid(cp));
                    break;
                }

                default:
                    sb.Append('\\').Append(e);
                    break;
            }
        }

        return sb.ToString();
    }
}
