using System.Text;

namespace LlmSuite.Engine.Templates;

/// <summary>Python operator semantics for template values: truthiness, ==, ordering, arithmetic, <c>in</c>.</summary>
internal static class PyOps
{
    public static bool Truthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        List<object?> list => list.Count > 0,
        PyDict d => d.Count > 0,
        PyTuple t => t.Count > 0,
        PyIterator { IsView: true } view => view.ViewCount > 0,
        Undefined => false,
        _ => true,
    };

    private static bool IsNumber(object? v) => v is long or double or bool;

    private static double ToDouble(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new InvalidOperationException(),
    };

    private static long ToLong(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Python <c>==</c>.</summary>
    public static bool Eq(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        switch (a)
        {
            case null:
                return b is null;
            case string sa:
                return b is string sb && string.Equals(sa, sb, StringComparison.Ordinal);
            case long or bool or double:
                if (!IsNumber(b))
                {
                    return false;
                }

                if (a is double || b is double)
                {
                    return ToDouble(a) == ToDouble(b);
                }

                return ToLong(a) == ToLong(b);
            case List<object?> la:
                return b is List<object?> lb && SeqEq(la, lb);
            case PyTuple ta:
                return b is PyTuple tb && SeqEq(ta.Items, tb.Items);
            case PyDict da:
            {
                if (b is not PyDict db || da.Count != db.Count)
                {
                    return false;
                }

                foreach (var kv in da.Items)
                {
                    if (!db.TryGetValue(PyDict.KeyValue(kv.Key), out var other) || !Eq(kv.Value, other))
                    {
                        return false;
                    }
                }

                return true;
            }

            case Undefined:
                return b is Undefined;
            default:
                return false;
        }
    }

    private static bool SeqEq(IReadOnlyList<object?> a, IReadOnlyList<object?> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!Eq(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Python ordering (<c>&lt;</c> etc.); returns negative/zero/positive or throws TypeError-like.</summary>
    public static int Compare(object? a, object? b, string op)
    {
        if (a is Undefined ua)
        {
            throw ua.Fail();
        }

        if (b is Undefined ub)
        {
            throw ub.Fail();
        }

        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double || b is double)
            {
                var x = ToDouble(a);
                var y = ToDouble(b);
                return x < y ? -1 : x > y ? 1 : x == y ? 0 : NaNCompare(op);
            }

            return ToLong(a).CompareTo(ToLong(b));
        }

        if (a is string sa && b is string sb)
        {
            var c = string.CompareOrdinal(sa, sb);
            return c < 0 ? -1 : c > 0 ? 1 : 0;
        }

        if (a is List<object?> la && b is List<object?> lb)
        {
            return SeqCompare(la, lb, op);
        }

        if (a is PyTuple ta && b is PyTuple tb)
        {
            return SeqCompare(ta.Items, tb.Items, op);
        }

        throw new TemplateException($"'{op}' not supported between instances of '{PyRepr.TypeName(a)}' and '{PyRepr.TypeName(b)}'");
    }

    // NaN: every ordering comparison is false; pick a value that makes the caller's test false.
    private static int NaNCompare(string op) => op is "<" or "<=" ? 1 : -1;

    private static int SeqCompare(IReadOnlyList<object?> a, IReadOnlyList<object?> b, string op)
    {
        var n = Math.Min(a.Count, b.Count);
        for (var i = 0; i < n; i++)
        {
            if (!Eq(a[i], b[i]))
            {
                return Compare(a[i], b[i], op);
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    /// <summary>Python <c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item)
    {
        switch (container)
        {
            case string s:
                if (item is not string sub)
                {
                    throw new TemplateException($"'in <string>' requires string as left operand, not {PyRepr.TypeName(item)}");
                }

                return s.Contains(sub, StringComparison.Ordinal);
            case List<object?> list:
                foreach (var x in list)
                {
                    if (Eq(x, item))
                    {
                        return true;
                    }
                }

                return false;
            case PyTuple t:
                foreach (var x in t.Items)
                {
                    if (Eq(x, item))
                    {
                        return true;
                    }
                }

                return false;
            case PyDict d:
                if (item is List<object?> or PyDict)
                {
                    throw new TemplateException($"unhashable type: '{PyRepr.TypeName(item)}'");
                }

                return d.ContainsKey(item);
            case PyIterator it:
                foreach (var x in it.Consume())
                {
                    if (Eq(x, item))
                    {
                        return true;
                    }
                }

                return false;
            case Undefined:
                return false;
            default:
                throw new TemplateException($"argument of type '{PyRepr.TypeName(container)}' is not iterable");
        }
    }

    private static TemplateException Unsupported(string op, object? a, object? b)
        => new($"unsupported operand type(s) for {op}: '{PyRepr.TypeName(a)}' and '{PyRepr.TypeName(b)}'");

    private static void CheckUndefined(object? a, object? b)
    {
        if (a is Undefined ua)
        {
            throw ua.Fail();
        }

        if (b is Undefined ub)
        {
            throw ub.Fail();
        }
    }

    public static object? Add(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (a is string sa)
        {
            return b is string sb ? string.Concat(sa, sb) : throw new TemplateException($"can only concatenate str (not \"{PyRepr.TypeName(b)}\") to str");
        }

        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double || b is double)
            {
                return ToDouble(a) + ToDouble(b);
            }

            return Checked(() => checked(ToLong(a) + ToLong(b)));
        }

        if (a is List<object?> la)
        {
            if (b is not List<object?> lb)
            {
                throw new TemplateException($"can only concatenate list (not \"{PyRepr.TypeName(b)}\") to list");
            }

            var r = new List<object?>(la.Count + lb.Count);
            r.AddRange(la);
            r.AddRange(lb);
            return r;
        }

        if (a is PyTuple ta)
        {
            return b is PyTuple tb
                ? new PyTuple([.. ta.Items, .. tb.Items])
                : throw new TemplateException($"can only concatenate tuple (not \"{PyRepr.TypeName(b)}\") to tuple");
        }

        throw Unsupported("+", a, b);
    }

    public static object? Sub(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double || b is double)
            {
                return ToDouble(a) - ToDouble(b);
            }

            return Checked(() => checked(ToLong(a) - ToLong(b)));
        }

        throw Unsupported("-", a, b);
    }

    public static object? Mul(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double || b is double)
            {
                return ToDouble(a) * ToDouble(b);
            }

            return Checked(() => checked(ToLong(a) * ToLong(b)));
        }

        if (a is string s && b is long or bool)
        {
            return Repeat(s, ToLong(b));
        }

        if (b is string s2 && a is long or bool)
        {
            return Repeat(s2, ToLong(a));
        }

        if (a is List<object?> list && b is long or bool)
        {
            return RepeatList(list, ToLong(b));
        }

        if (b is List<object?> list2 && a is long or bool)
        {
            return RepeatList(list2, ToLong(a));
        }

        if (a is PyTuple tuple && b is long or bool)
        {
            return new PyTuple([.. RepeatList([.. tuple.Items], ToLong(b))]);
        }

        if (b is PyTuple tuple2 && a is long or bool)
        {
            return new PyTuple([.. RepeatList([.. tuple2.Items], ToLong(a))]);
        }

        if (a is string or List<object?> or PyTuple)
        {
            throw new TemplateException($"can't multiply sequence by non-int of type '{PyRepr.TypeName(b)}'");
        }

        if (b is string or List<object?> or PyTuple)
        {
            throw new TemplateException($"can't multiply sequence by non-int of type '{PyRepr.TypeName(a)}'");
        }

        throw Unsupported("*", a, b);
    }

    private static string Repeat(string s, long n)
    {
        if (n <= 0)
        {
            return "";
        }

        if (n * (long)s.Length > 100_000_000)
        {
            throw new TemplateException("string repetition is too large");
        }

        var sb = new StringBuilder(s.Length * (int)n);
        for (var i = 0; i < n; i++)
        {
            sb.Append(s);
        }

        return sb.ToString();
    }

    private static List<object?> RepeatList(List<object?> list, long n)
    {
        var r = new List<object?>();
        for (var i = 0; i < n; i++)
        {
            r.AddRange(list);
        }

        return r;
    }

    public static object? Div(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (!IsNumber(a) || !IsNumber(b))
        {
            throw Unsupported("/", a, b);
        }

        var y = ToDouble(b);
        if (y == 0)
        {
            throw new TemplateException(a is double || b is double ? "float division by zero" : "division by zero");
        }

        return ToDouble(a) / y;
    }

    public static object? FloorDiv(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (!IsNumber(a) || !IsNumber(b))
        {
            throw Unsupported("//", a, b);
        }

        if (a is double || b is double)
        {
            var y = ToDouble(b);
            if (y == 0)
            {
                throw new TemplateException("float floor division by zero");
            }

            return Math.Floor(ToDouble(a) / y);
        }

        var q = ToLong(b);
        if (q == 0)
        {
            throw new TemplateException("integer division or modulo by zero");
        }

        var p = ToLong(a);
        var d = p / q;
        if ((p % q != 0) && ((p < 0) != (q < 0)))
        {
            d--;
        }

        return d;
    }

    public static object? Mod(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (a is string fmt)
        {
            return Filters.PercentFormat(fmt, b);
        }

        if (!IsNumber(a) || !IsNumber(b))
        {
            throw Unsupported("%", a, b);
        }

        if (a is double || b is double)
        {
            var y = ToDouble(b);
            if (y == 0)
            {
                throw new TemplateException("float modulo");
            }

            var x = ToDouble(a);
            var m = x % y;
            if (m != 0 && (m < 0) != (y < 0))
            {
                m += y;
            }

            return m;
        }

        var q = ToLong(b);
        if (q == 0)
        {
            throw new TemplateException("integer modulo by zero");
        }

        var r = ToLong(a) % q;
        if (r != 0 && (r < 0) != (q < 0))
        {
            r += q;
        }

        return r;
    }

    public static object? Pow(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (!IsNumber(a) || !IsNumber(b))
        {
            throw Unsupported("** or pow()", a, b);
        }

        if (ToDouble(a) == 0 && ToDouble(b) < 0)
        {
            throw new TemplateException("0.0 cannot be raised to a negative power");
        }

        if (a is double || b is double || ToLong(b) < 0)
        {
            return Math.Pow(ToDouble(a), ToDouble(b));
        }

        var x = ToLong(a);
        var e = ToLong(b);
        return Checked(() =>
        {
            long result = 1;
            var bas = x;
            while (e > 0)
            {
                if ((e & 1) != 0)
                {
                    result = checked(result * bas);
                }

                e >>= 1;
                if (e > 0)
                {
                    bas = checked(bas * bas);
                }
            }

            return result;
        });
    }

    public static object? Negate(object? a) => a switch
    {
        long l => Checked(() => checked(-l)),
        double d => -d,
        bool b => b ? -1L : 0L,
        Undefined u => throw u.Fail(),
        _ => throw new TemplateException($"bad operand type for unary -: '{PyRepr.TypeName(a)}'"),
    };

    public static object? Plus(object? a) => a switch
    {
        long or double => a,
        bool b => b ? 1L : 0L,
        Undefined u => throw u.Fail(),
        _ => throw new TemplateException($"bad operand type for unary +: '{PyRepr.TypeName(a)}'"),
    };

    private static object Checked(Func<long> f)
    {
        try
        {
            return f();
        }
        catch (OverflowException)
        {
            throw new TemplateException("integer overflow: result does not fit in 64 bits");
        }
    }
}
