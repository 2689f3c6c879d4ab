using System.Text;

namespace LlmSuite.Engine.Templates;

/// <summary>Filters over sequences and mappings.</summary>
internal static partial class Filters
{
    private static object? ApplyCollection(Interpreter interp, string name, object? value, CallArgs args)
    {
        switch (name)
        {
            case "first":
            {
                var items = PyAccess.Iterate(value);
                return items.Count > 0 ? items[0] : Undefined.WithHint("No first item, sequence was empty.");
            }

            case "last":
            {
                var items = value is PyIterator { IsView: false } or long or double or bool or null
                    ? throw new TemplateException($"'{PyRepr.TypeName(value)}' object is not reversible")
                    : PyAccess.Iterate(value);
                return items.Count > 0 ? items[^1] : Undefined.WithHint("No last item, sequence was empty.");
            }

            case "list":
                return new List<object?>(PyAccess.Iterate(value));
            case "items":
                if (value is Undefined)
                {
                    return PyIterator.Generator([]);
                }

                if (value is not PyDict dict)
                {
                    throw new TemplateException("Can only get item pairs from a mapping.");
                }

                return PyIterator.Generator(dict.Items.Select(kv => (object?)new PyTuple([PyDict.KeyValue(kv.Key), kv.Value])).ToList());
            case "join":
                return Join(value, PyRepr.Str(args.Get(0, "d", "")), args.Get(1, "attribute"));
            case "dictsort":
                return DictSort(value, PyOps.Truthy(args.Get(0, "case_sensitive", false)), PyRepr.Str(args.Get(1, "by", "key")), PyOps.Truthy(args.Get(2, "reverse", false)));
            case "map":
                return PyIterator.Generator(Map(interp, value, args));
            case "select":
            case "reject":
                return PyIterator.Generator(SelectOrReject(interp, value, args, name == "select", attribute: false));
            case "selectattr":
            case "rejectattr":
                return PyIterator.Generator(SelectOrReject(interp, value, args, name == "selectattr", attribute: true));
            case "unique":
                return PyIterator.Generator(Unique(value, PyOps.Truthy(args.Get(0, "case_sensitive", false)), args.Get(1, "attribute")));
            case "batch":
                return PyIterator.Generator(Batch(value, ToInt(args.Get(0, "linecount")), args.Has(1, "fill_with") ? args.Get(1, "fill_with") : NoFill));
            case "sum":
            {
                var attribute = args.Get(0, "attribute");
                object? total = args.Get(1, "start", 0L);
                foreach (var item in PyAccess.Iterate(value))
                {
                    total = PyOps.Add(total, attribute is null ? item : GetPath(item, attribute));
                }

                return total;
            }

            case "min":
            case "max":
                return MinMax(value, PyOps.Truthy(args.Get(0, "case_sensitive", false)), args.Get(1, "attribute"), name == "max");
            case "sort":
                return Sort(value, PyOps.Truthy(args.Get(0, "reverse", false)), PyOps.Truthy(args.Get(1, "case_sensitive", false)), args.Get(2, "attribute"));
            case "reverse":
                if (value is string s)
                {
                    var cps = PyString.HasSurrogates(s) ? PyString.CodePoints(s) : s.Select(c => c.ToString()).ToArray();
                    Array.Reverse(cps);
                    return string.Concat(cps);
                }

                if (value is long or double or bool or null)
                {
                    throw new TemplateException("argument must be iterable");
                }

                var reversed = new List<object?>(PyAccess.Iterate(value));
                reversed.Reverse();
                return value switch
                {
                    List<object?> => PyIterator.Generator(reversed, "list_reverseiterator"),
                    PyDict => PyIterator.Generator(reversed, "dict_reversekeyiterator"),
                    PyIterator { IsView: false } => reversed,
                    PyIterator view => PyIterator.Generator(reversed, view.TypeName.Replace("dict_", "dict_reverse") + "iterator"),
                    _ => PyIterator.Generator(reversed, "reversed"),
                };
            default:
                throw new TemplateException($"No filter named '{name}'.");
        }
    }

    private static readonly object NoFill = new();

    private static string Join(object? value, string separator, object? attribute)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var item in PyAccess.Iterate(value))
        {
            if (!first)
            {
                sb.Append(separator);
            }

            first = false;
            sb.Append(SoftStr(attribute is null ? item : GetPath(item, attribute)));
        }

        return sb.ToString();
    }

    /// <summary>Jinja's <c>make_attrgetter</c>: dotted path, integer parts index, item lookup first.</summary>
    internal static object? GetPath(object? item, object? attribute)
    {
        if (attribute is long or bool)
        {
            return PyAccess.GetItem(item, attribute);
        }

        var path = PyRepr.Str(attribute);
        foreach (var part in path.Split('.'))
        {
            object key = long.TryParse(part, out var idx) ? idx : part;
            item = PyAccess.GetItem(item, key);
        }

        return item;
    }

    private static object? SortKey(object? v, bool caseSensitive) => !caseSensitive && v is string s ? s.ToLowerInvariant() : v;

    private static List<object?> DictSort(object? value, bool caseSensitive, string by, bool reverse)
    {
        if (value is not PyDict dict)
        {
            throw value is Undefined u ? u.Fail() : new TemplateException($"'{PyRepr.TypeName(value)}' object has no attribute 'items'");
        }

        var pos = by switch
        {
            "key" => 0,
            "value" => 1,
            _ => throw new TemplateException("You can only sort by either 'key' or 'value'"),
        };
        var pairs = dict.Items.Select(kv => new PyTuple([PyDict.KeyValue(kv.Key), kv.Value])).ToList();
        var sorted = StableSort(pairs, p => SortKey(p.Items[pos], caseSensitive), reverse);
        return sorted.Cast<object?>().ToList();
    }

    private static List<T> StableSort<T>(List<T> items, Func<T, object?> key, bool reverse, bool equalityFirst = false)
    {
        var comparer = Comparer<object?>.Create((a, b) => equalityFirst && PyOps.Eq(a, b) ? 0 : PyOps.Compare(a, b, "<"));
        var ordered = reverse ? items.OrderByDescending(key, comparer) : items.OrderBy(key, comparer);
        try
        {
            return ordered.ToList();
        }
        catch (InvalidOperationException e) when (e.InnerException is TemplateException inner)
        {
            throw new TemplateException(inner.Message);
        }
    }

    private static List<object?> Map(Interpreter interp, object? value, CallArgs args)
    {
        if (!PyOps.Truthy(value))
        {
            return [];
        }

        var items = PyAccess.Iterate(value);
        var result = new List<object?>(items.Count);
        if (args.Positional.Length == 0 && args.Has(-1, "attribute"))
        {
            var attribute = args.Get(-1, "attribute");
            var hasDefault = args.Has(-1, "default");
            var fallback = args.Get(-1, "default");
            foreach (var item in items)
            {
                var v = GetPath(item, attribute);
                result.Add(hasDefault && v is Undefined ? fallback : v);
            }

            return result;
        }

        if (args.Positional.Length == 0)
        {
            throw new TemplateException("map requires a filter argument");
        }

        var filterName = PyRepr.Str(args.Positional[0]);
        if (!Exists(filterName))
        {
            throw new TemplateException($"No filter named {PyRepr.Repr(filterName)}.");
        }

        var rest = new CallArgs(args.Positional[1..], args.Keywords);
        foreach (var item in items)
        {
            result.Add(Apply(interp, filterName, item, rest));
        }

        return result;
    }

    private static List<object?> SelectOrReject(Interpreter interp, object? value, CallArgs args, bool select, bool attribute)
    {
        if (!PyOps.Truthy(value))
        {
            return [];
        }

        var pos = args.Positional;
        object? attr = null;
        if (attribute)
        {
            if (pos.Length == 0)
            {
                throw new TemplateException("Missing parameter for attribute name");
            }

            attr = pos[0];
            pos = pos[1..];
        }

        string? testName = pos.Length > 0 ? PyRepr.Str(pos[0]) : null;
        var testArgs = new CallArgs(pos.Length > 1 ? pos[1..] : [], args.Keywords);
        if (testName is not null && !Tests.Exists(testName))
        {
            throw new TemplateException($"No test named {PyRepr.Repr(testName)}.");
        }

        var result = new List<object?>();
        foreach (var item in PyAccess.Iterate(value))
        {
            var subject = attribute ? GetPath(item, attr) : item;
            var ok = testName is null ? PyOps.Truthy(subject) : Tests.Apply(testName, subject, testArgs);
            if (ok == select)
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static List<object?> Unique(object? value, bool caseSensitive, object? attribute)
    {
        var seen = new List<object?>();
        var result = new List<object?>();
        foreach (var item in PyAccess.Iterate(value))
        {
            var key = SortKey(attribute is null ? item : GetPath(item, attribute), caseSensitive);
            if (key is List<object?> or PyDict)
            {
                throw new TemplateException($"unhashable type: '{PyRepr.TypeName(key)}'");
            }

            if (!seen.Any(s => PyOps.Eq(s, key)))
            {
                seen.Add(key);
                result.Add(item);
            }
        }

        return result;
    }

    private static List<object?> Batch(object? value, long lineCount, object? fill)
    {
        if (lineCount <= 0)
        {
            throw new TemplateException("batch size must be positive");
        }

        var result = new List<object?>();
        List<object?> tmp = [];
        foreach (var item in PyAccess.Iterate(value))
        {
            if (tmp.Count == lineCount)
            {
                result.Add(tmp);
                tmp = [];
            }

            tmp.Add(item);
        }

        if (tmp.Count > 0)
        {
            if (!ReferenceEquals(fill, NoFill) && tmp.Count < lineCount)
            {
                while (tmp.Count < lineCount)
                {
                    tmp.Add(fill);
                }
            }

            result.Add(tmp);
        }

        return result;
    }

    private static object? MinMax(object? value, bool caseSensitive, object? attribute, bool max)
    {
        var items = PyAccess.Iterate(value);
        if (items.Count == 0)
        {
            return Undefined.WithHint($"No aggregated item, sequence was empty.");
        }

        var best = items[0];
        var bestKey = SortKey(attribute is null ? best : GetPath(best, attribute), caseSensitive);
        for (var i = 1; i < items.Count; i++)
        {
            var key = SortKey(attribute is null ? items[i] : GetPath(items[i], attribute), caseSensitive);
            var c = PyOps.Compare(key, bestKey, max ? ">" : "<");
            if (max ? c > 0 : c < 0)
            {
                best = items[i];
                bestKey = key;
            }
        }

        return best;
    }

    /// <summary>Jinja's <c>sort</c>: keys are lists (one entry per comma-separated attribute), so equal items
    /// are never ordered with <c>&lt;</c>.</summary>
    private static List<object?> Sort(object? value, bool reverse, bool caseSensitive, object? attribute)
    {
        var items = new List<object?>(PyAccess.Iterate(value));
        object?[] parts = attribute is string s ? s.Split(',') : [attribute];
        return StableSort(items, item => (object?)parts.Select(p => SortKey(p is null ? item : GetPath(item, p), caseSensitive)).ToList(), reverse, equalityFirst: true);
    }
}
