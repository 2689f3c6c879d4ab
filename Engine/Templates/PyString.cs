using System.Text;

namespace LlmSuite.Engine.Templates;

/// <summary>Python <c>str</c> semantics over .NET strings: whitespace, code-point length/indexing, methods.</summary>
internal static class PyString
{
    /// <summary>Python's <c>str.isspace</c> for one UTF-16 unit.</summary>
    public static bool IsSpace(char c) => c switch
    {
        ' ' or '\t' or '\n' or '\v' or '\f' or '\r' => true,
        < '\x1c' => false,
        <= '\x1f' => true,
        < '\x85' => false,
        '\x85' or '\xa0' or '\u1680' or '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000' => true,
        >= '\u2000' and <= '\u200a' => true,
        _ => false,
    };

    public static string RStripWhitespace(string s)
    {
        var end = s.Length;
        while (end > 0 && IsSpace(s[end - 1]))
        {
            end--;
        }

        return end == s.Length ? s : s[..end];
    }

    public static string Strip(string s, string? chars, bool left, bool right)
    {
        var start = 0;
        var end = s.Length;
        if (chars is null)
        {
            if (left)
            {
                while (start < end && IsSpace(s[start]))
                {
                    start++;
                }
            }

            if (right)
            {
                while (end > start && IsSpace(s[end - 1]))
                {
                    end--;
                }
            }
        }
        else
        {
            if (left)
            {
                while (start < end && chars.Contains(s[start]))
                {
                    start++;
                }
            }

            if (right)
            {
                while (end > start && chars.Contains(s[end - 1]))
                {
                    end--;
                }
            }
        }

        return start == 0 && end == s.Length ? s : s[start..end];
    }

    public static bool HasSurrogates(string s) => s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    /// <summary>Length in code points (Python <c>len</c>).</summary>
    public static int Length(string s)
    {
        if (!HasSurrogates(s))
        {
            return s.Length;
        }

        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }

            n++;
        }

        return n;
    }

    /// <summary>The string as an array of code-point strings (only used when it has surrogates).</summary>
    public static string[] CodePoints(string s)
    {
        var list = new List<string>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                list.Add(s.Substring(i, 2));
                i++;
            }
            else
            {
                list.Add(s[i].ToString());
            }
        }

        return [.. list];
    }

    public static List<object?> ToCharList(string s)
    {
        var result = new List<object?>(s.Length);
        if (!HasSurrogates(s))
        {
            foreach (var c in s)
            {
                result.Add(c.ToString());
            }
        }
        else
        {
            result.AddRange(CodePoints(s));
        }

        return result;
    }

    /// <summary>Python's <c>str.upper</c>, including the common SpecialCasing expansions (ß to SS, ligatures).</summary>
    public static string Upper(string s)
    {
        var upper = s.ToUpperInvariant();
        if (upper.AsSpan().IndexOfAnyInRange('\u00df', '\u00df') < 0 && upper.AsSpan().IndexOfAnyInRange('\ufb00', '\ufb06') < 0 && !upper.Contains('\u0149'))
        {
            return upper;
        }

        var sb = new StringBuilder(upper.Length + 4);
        foreach (var c in upper)
        {
            sb.Append(c switch
            {
                '\u00df' => "SS",
                '\u0149' => "\u02bcN",
                '\ufb00' => "FF",
                '\ufb01' => "FI",
                '\ufb02' => "FL",
                '\ufb03' => "FFI",
                '\ufb04' => "FFL",
                '\ufb05' or '\ufb06' => "ST",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    public static string Lower(string s) => s.ToLowerInvariant();

    private static bool IsCased(char c) => char.IsUpper(c) || char.IsLower(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.TitlecaseLetter;

    /// <summary>Python's <c>str.title</c>.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prevCased = false;
        foreach (var c in s)
        {
            if (IsCased(c))
            {
                sb.Append(prevCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
                prevCased = true;
            }
            else
            {
                sb.Append(c);
                prevCased = false;
            }
        }

        return sb.ToString();
    }

    /// <summary>Python's <c>str.capitalize</c>.</summary>
    public static string Capitalize(string s)
        => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    /// <summary>Python's <c>str.split(sep, maxsplit)</c>.</summary>
    public static List<object?> Split(string s, string? sep, int maxSplit)
    {
        var result = new List<object?>();
        if (sep is null)
        {
            var i = 0;
            var n = s.Length;
            while (true)
            {
                while (i < n && IsSpace(s[i]))
                {
                    i++;
                }

                if (i >= n)
                {
                    break;
                }

                if (maxSplit >= 0 && result.Count == maxSplit)
                {
                    result.Add(s[i..]);
                    break;
                }

                var start = i;
                while (i < n && !IsSpace(s[i]))
                {
                    i++;
                }

                result.Add(s[start..i]);
            }

            return result;
        }

        if (sep.Length == 0)
        {
            throw new TemplateException("empty separator");
        }

        var pos = 0;
        while (maxSplit < 0 || result.Count < maxSplit)
        {
            var idx = s.IndexOf(sep, pos, StringComparison.Ordinal);
            if (idx < 0)
            {
                break;
            }

            result.Add(s[pos..idx]);
            pos = idx + sep.Length;
        }

        result.Add(s[pos..]);
        return result;
    }

    /// <summary>Python's <c>str.rsplit(sep, maxsplit)</c>.</summary>
    public static List<object?> RSplit(string s, string? sep, int maxSplit)
    {
        if (maxSplit < 0)
        {
            return Split(s, sep, -1);
        }

        var result = new List<object?>();
        if (sep is null)
        {
            var i = s.Length - 1;
            while (true)
            {
                while (i >= 0 && IsSpace(s[i]))
                {
                    i--;
                }

                if (i < 0)
                {
                    break;
                }

                if (result.Count == maxSplit)
                {
                    result.Add(s[..(i + 1)]);
                    break;
                }

                var end = i + 1;
                while (i >= 0 && !IsSpace(s[i]))
                {
                    i--;
                }

                result.Add(s[(i + 1)..end]);
            }

            result.Reverse();
            return result;
        }

        if (sep.Length == 0)
        {
            throw new TemplateException("empty separator");
        }

        var stop = s.Length;
        while (result.Count < maxSplit)
        {
            var idx = stop - sep.Length < 0 ? -1 : s.LastIndexOf(sep, stop - 1, stop, StringComparison.Ordinal);
            if (idx < 0)
            {
                break;
            }

            result.Add(s[(idx + sep.Length)..stop]);
            stop = idx;
        }

        result.Add(s[..stop]);
        result.Reverse();
        return result;
    }

    /// <summary>Python's <c>str.replace(old, new, count)</c> (empty <paramref name="old"/> inserts between chars).</summary>
    public static string Replace(string s, string oldValue, string newValue, long count)
    {
        if (count < 0)
        {
            if (oldValue.Length == 0)
            {
                var sb0 = new StringBuilder();
                sb0.Append(newValue);
                foreach (var cp in HasSurrogates(s) ? CodePoints(s) : s.Select(c => c.ToString()))
                {
                    sb0.Append(cp).Append(newValue);
                }

                return sb0.ToString();
            }

            return s.Replace(oldValue, newValue, StringComparison.Ordinal);
        }

        var sb = new StringBuilder();
        var pos = 0;
        var done = 0L;
        while (done < count)
        {
            var idx = oldValue.Length == 0 ? (pos <= s.Length ? pos : -1) : s.IndexOf(oldValue, pos, StringComparison.Ordinal);
            if (idx < 0)
            {
                break;
            }

            sb.Append(s, pos, idx - pos).Append(newValue);
            if (oldValue.Length == 0)
            {
                if (idx < s.Length)
                {
                    sb.Append(s[idx]);
                }

                pos = idx + 1;
            }
            else
            {
                pos = idx + oldValue.Length;
            }

            done++;
        }

        if (pos < s.Length)
        {
            sb.Append(s, pos, s.Length - pos);
        }

        return sb.ToString();
    }

    /// <summary>Python's <c>str.splitlines()</c> (keepends=False).</summary>
    public static List<string> SplitLines(string s)
    {
        var result = new List<string>();
        var start = 0;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            var isBreak = c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';
            if (!isBreak)
            {
                i++;
                continue;
            }

            result.Add(s[start..i]);
            i += c == '\r' && i + 1 < s.Length && s[i + 1] == '\n' ? 2 : 1;
            start = i;
        }

        if (start < s.Length)
        {
            result.Add(s[start..]);
        }

        return result;
    }
}
