namespace LlmSuite.Engine.Templates;

/// <summary>
/// Attribute/item access, slicing, iteration and <c>len</c> with the semantics of Jinja2's
/// <c>ImmutableSandboxedEnvironment</c>: <c>obj.name</c> prefers a (safe) Python attribute then the item,
/// <c>obj[key]</c> prefers the item then the attribute; methods that mutate list/dict give an undefined
/// that raises "access to attribute ... is unsafe." when called.
/// </summary>
internal static class PyAccess
{
    private static readonly HashSet<string> StrMethods =
    [
        "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith", "upper", "lower",
        "replace", "title", "capitalize", "find", "rfind", "index", "rindex", "count", "format", "join", "isdigit",
        "isalpha", "isalnum", "isspace", "islower", "isupper", "isnumeric", "isdecimal", "istitle", "zfill", "center",
        "ljust", "rjust", "partition", "rpartition", "removeprefix", "removesuffix", "casefold", "swapcase",
        "expandtabs", "encode", "format_map",
    ];

    private static readonly HashSet<string> DictMethods = ["items", "keys", "values", "get", "copy"];
    private static readonly HashSet<string> DictUnsafe = ["clear", "pop", "popitem", "setdefault", "update"];
    private static readonly HashSet<string> ListMethods = ["index", "count", "copy"];
    private static readonly HashSet<string> ListUnsafe = ["append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"];

    /// <summary>True when <c>obj.name</c> is a sandbox-safe method of a str/dict/list/tuple.</summary>
    public static bool IsSafeMethod(object? obj, string name) => obj switch
    {
        string => StrMethods.Contains(name),
        PyDict => DictMethods.Contains(name),
        List<object?> => ListMethods.Contains(name),
        PyTuple => name is "index" or "count",
        _ => false,
    };

    /// <summary><c>obj.name</c>.</summary>
    public static object? GetAttr(object? obj, string name)
    {
        switch (obj)
        {
            case PyDict d:
                if (DictMethods.Contains(name))
                {
                    return new BoundMethod(d, name);
                }

                if (DictUnsafe.Contains(name))
                {
                    return Unsafe(obj, name);
                }

                return d.TryGetValue(name, out var v) ? v : Undefined.ForMember(obj, name);
            case string s:
                return StrMethods.Contains(name) ? new BoundMethod(s, name) : Undefined.ForMember(obj, name);
            case List<object?> list:
                if (ListMethods.Contains(name))
                {
                    return new BoundMethod(list, name);
                }

                return ListUnsafe.Contains(name) ? Unsafe(obj, name) : Undefined.ForMember(obj, name);
            case PyTuple t:
                return name is "index" or "count" ? new BoundMethod(t, name) : Undefined.ForMember(obj, name);
            case Namespace ns:
                return ns.Attributes.TryGetValue(name, out var nv) ? nv : Undefined.ForMember(obj, name);
            case LoopContext loop:
                return loop.GetAttribute(name);
            case Undefined u:
                throw u.Fail();
            case long or bool or double:
                return NumberAttr(obj, name);
            default:
                return Undefined.ForMember(obj, name);
        }
    }

    private static object? NumberAttr(object obj, string name) => (obj, name) switch
    {
        (double d, "real") => d,
        (double, "imag") => 0.0,
        (long l, "real" or "numerator") => l,
        (bool b, "real" or "numerator") => b ? 1L : 0L,
        (long or bool, "imag") => 0L,
        (long or bool, "denominator") => 1L,
        _ => Undefined.ForMember(obj, name),
    };

    /// <summary>Python <c>getattr</c> only (no item fallback), as the <c>attr</c> filter does.</summary>
    public static object? GetPythonAttr(object? obj, string name) => obj switch
    {
        PyDict when !DictMethods.Contains(name) && !DictUnsafe.Contains(name) => Undefined.ForMember(obj, name),
        _ => GetAttr(obj, name),
    };

    private static Undefined Unsafe(object obj, string name)
        => Undefined.WithHint($"access to attribute {PyRepr.Repr(name)} of {PyRepr.Repr(PyRepr.TypeName(obj))} object is unsafe.");

    /// <summary><c>obj[key]</c> (key may be a <see cref="SliceValue"/>).</summary>
    public static object? GetItem(object? obj, object? key)
    {
        if (obj is Undefined u)
        {
            throw u.Fail();
        }

        if (key is SliceValue slice)
        {
            return Slice(obj, slice);
        }

        switch (obj)
        {
            case PyDict d:
                if (d.TryGetValue(key, out var v))
                {
                    return v;
                }

                break;
            case List<object?> list when key is long or bool:
            {
                var i = Index(key, list.Count);
                return i >= 0 ? list[i] : Undefined.ForMember(obj, key);
            }

            case PyTuple t when key is long or bool:
            {
                var i = Index(key, t.Count);
                return i >= 0 ? t.Items[i] : Undefined.ForMember(obj, key);
            }

            case PyIterator it:
                throw new TemplateException($"'{it.TypeName}' object is not subscriptable");
            case string s when key is long or bool:
            {
                if (!PyString.HasSurrogates(s))
                {
                    var i = Index(key, s.Length);
                    return i >= 0 ? s[i].ToString() : Undefined.ForMember(obj, key);
                }

                var cps = PyString.CodePoints(s);
                var j = Index(key, cps.Length);
                return j >= 0 ? cps[j] : Undefined.ForMember(obj, key);
            }
        }

        if (key is string name && obj is not null && obj is not long && obj is not double && obj is not bool)
        {
            var attr = GetAttr(obj, name);
            return attr;
        }

        return Undefined.ForMember(obj, key);
    }

    private static int Index(object? key, int count)
    {
        var i = key is bool b ? (b ? 1 : 0) : (long)key!;
        if (i < 0)
        {
            i += count;
        }

        return i >= 0 && i < count ? (int)i : -1;
    }

    private static object? Slice(object? obj, SliceValue slice)
    {
        switch (obj)
        {
            case List<object?> list:
                return SliceList(list, slice);
            case PyTuple t:
                return new PyTuple([.. SliceList(t.Items, slice)]);
            case string s:
            {
                if (!PyString.HasSurrogates(s) && (slice.Step is null || slice.Step is 1L))
                {
                    var (start, stop, _) = slice.Resolve(s.Length);
                    return stop > start ? s[start..stop] : "";
                }

                var chars = PyString.HasSurrogates(s) ? PyString.CodePoints(s) : s.Select(c => c.ToString()).ToArray();
                return string.Concat(SliceList(chars, slice).Cast<string>());
            }

            default:
                throw new TemplateException($"'{PyRepr.TypeName(obj)}' object is not subscriptable");
        }
    }

    private static List<object?> SliceList<T>(IReadOnlyList<T> items, SliceValue slice)
    {
        var (start, stop, step) = slice.Resolve(items.Count);
        var result = new List<object?>();
        if (step > 0)
        {
            for (var i = start; i < stop; i += step)
            {
                result.Add(items[i]);
            }
        }
        else
        {
            for (var i = start; i > stop; i += step)
            {
                result.Add(items[i]);
            }
        }

        return result;
    }

    /// <summary>Python <c>iter(obj)</c> materialized.</summary>
    public static IReadOnlyList<object?> Iterate(object? obj) => obj switch
    {
        List<object?> list => list,
        PyTuple t => t.Items,
        string s => PyString.ToCharList(s),
        PyDict d => d.Keys.Select(PyDict.KeyValue).ToList(),
        PyIterator it => it.Consume(),
        Undefined => [],
        _ => throw new TemplateException($"{PyRepr.Repr(PyRepr.TypeName(obj))} object is not iterable"),
    };

    /// <summary>Python <c>len(obj)</c>.</summary>
    public static long Length(object? obj) => obj switch
    {
        string s => PyString.Length(s),
        List<object?> list => list.Count,
        PyTuple t => t.Count,
        PyDict d => d.Count,
        Undefined => 0,
        Namespace ns => throw new TemplateException("object of type 'Namespace' has no len()"),
        LoopContext loop => loop.Length,
        PyIterator { IsView: true } view => view.ViewCount,
        _ => throw new TemplateException($"object of type {PyRepr.Repr(PyRepr.TypeName(obj))} has no len()"),
    };
}

/// <summary>A Python slice object (<c>a[start:stop:step]</c>).</summary>
internal sealed class SliceValue(object? start, object? stop, object? step)
{
    public object? Step => step;

    /// <summary>Python's <c>slice.indices(length)</c>.</summary>
    public (int Start, int Stop, int Step) Resolve(int length)
    {
        var st = ToIndex(step) ?? 1;
        if (st == 0)
        {
            throw new TemplateException("slice step cannot be zero");
        }

        int lower = st < 0 ? -1 : 0;
        int upper = st < 0 ? length - 1 : length;
        int Clamp(long? v, int dflt)
        {
            if (v is null)
            {
                return dflt;
            }

            var x = v.Value;
            if (x < 0)
            {
                x += length;
                return (int)Math.Max(x, lower);
            }

            return (int)Math.Min(x, upper);
        }

        var s = Clamp(ToIndex(start), st < 0 ? upper : lower);
        var e = Clamp(ToIndex(stop), st < 0 ? lower : upper);
        return (s, e, (int)st);
    }

    private static long? ToIndex(object? v) => v switch
    {
        null => null,
        long l => l,
        bool b => b ? 1 : 0,
        Undefined u => throw u.Fail(),
        _ => throw new TemplateException("slice indices must be integers or None or have an __index__ method"),
    };
}
