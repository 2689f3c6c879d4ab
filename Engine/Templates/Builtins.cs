namespace LlmSuite.Engine.Templates;

/// <summary>Global functions: Jinja2's <c>range</c>, <c>dict</c>, <c>namespace</c>, <c>cycler</c>, <c>joiner</c>
/// and Hugging Face's <c>raise_exception</c> and <c>strftime_now</c>.</summary>
internal static class Builtins
{
    private const long MaxRange = 100_000;

    public static readonly IReadOnlyDictionary<string, object?> Globals = new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["range"] = new BuiltinFunction("range", (_, a) => Range(a)),
        ["dict"] = new BuiltinFunction("dict", (_, a) => MakeDict(a)),
        ["namespace"] = new BuiltinFunction("namespace", (_, a) => MakeNamespace(a)),
        ["joiner"] = new BuiltinFunction("joiner", (_, a) => Joiner(PyRepr.Str(a.Get(0, "sep", ", ")))),
        ["cycler"] = new BuiltinFunction("cycler", (_, a) => Cycler(a.Positional)),
        ["raise_exception"] = new BuiltinFunction("raise_exception", (_, a) =>
            throw new TemplateException(PyRepr.Str(a.Get(0, "message")), raisedByTemplate: true)),
        ["strftime_now"] = new BuiltinFunction("strftime_now", (interp, a) =>
            Strftime.Format(interp.Clock.GetLocalNow(), PyRepr.Str(a.Get(0, "format")))),
    };

    private static List<object?> Range(CallArgs a)
    {
        long start = 0, stop, step = 1;
        switch (a.Count)
        {
            case 1:
                stop = Filters.ToInt(a.Positional[0]);
                break;
            case 2:
                start = Filters.ToInt(a.Positional[0]);
                stop = Filters.ToInt(a.Positional[1]);
                break;
            case 3:
                start = Filters.ToInt(a.Positional[0]);
                stop = Filters.ToInt(a.Positional[1]);
                step = Filters.ToInt(a.Positional[2]);
                break;
            default:
                throw new TemplateException($"range expected at most 3 arguments, got {a.Count}");
        }

        if (step == 0)
        {
            throw new TemplateException("range() arg 3 must not be zero");
        }

        var count = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        if (count > MaxRange)
        {
            throw new TemplateException($"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).");
        }

        var list = new List<object?>((int)Math.Max(0, count));
        for (var i = 0L; i < count; i++)
        {
            list.Add(start + i * step);
        }

        return list;
    }

    private static PyDict MakeDict(CallArgs a)
    {
        var d = new PyDict();
        if (a.Count > 0 && a.Positional[0] is PyDict src)
        {
            foreach (var kv in src.Items)
            {
                d.Set(PyDict.KeyValue(kv.Key), kv.Value);
            }
        }

        foreach (var kv in a.Keywords)
        {
            d.Set(kv.Key, kv.Value);
        }

        return d;
    }

    private static Namespace MakeNamespace(CallArgs a)
    {
        var ns = new Namespace();
        if (a.Count > 0 && a.Positional[0] is PyDict src)
        {
            foreach (var kv in src.Items)
            {
                ns.Attributes[PyRepr.Str(PyDict.KeyValue(kv.Key))] = kv.Value;
            }
        }

        foreach (var kv in a.Keywords)
        {
            ns.Attributes[kv.Key] = kv.Value;
        }

        return ns;
    }

    private static BuiltinFunction Joiner(string sep)
    {
        var used = false;
        return new BuiltinFunction("joiner", (_, _) =>
        {
            if (!used)
            {
                used = true;
                return "";
            }

            return sep;
        });
    }

    private static PyCallable Cycler(object?[] items)
    {
        var ns = new Namespace();
        var pos = 0;
        ns.Attributes["next"] = new BuiltinFunction("next", (_, _) =>
        {
            var v = items[pos];
            pos = (pos + 1) % items.Length;
            return v;
        });
        ns.Attributes["reset"] = new BuiltinFunction("reset", (_, _) =>
        {
            pos = 0;
            return null;
        });
        return new BuiltinFunction("cycler", (_, _) => ns);
    }
}
