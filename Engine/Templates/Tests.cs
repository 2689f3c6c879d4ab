namespace LlmSuite.Engine.Templates;

/// <summary>Jinja2's builtin tests (<c>x is defined</c>, <c>x is string</c>, <c>n is divisibleby 3</c>, ...).</summary>
internal static class Tests
{
    private static readonly HashSet<string> Names =
    [
        "defined", "undefined", "none", "boolean", "false", "true", "integer", "float", "number", "string", "mapping",
        "iterable", "sequence", "callable", "sameas", "escaped", "odd", "even", "divisibleby", "eq", "equalto", "==",
        "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=", "in", "lower", "upper",
        "filter", "test",
    ];

    public static bool Exists(string name) => Names.Contains(name);

    public static bool Apply(string name, object? value, CallArgs args)
    {
        switch (name)
        {
            case "defined": return value is not Undefined;
            case "undefined": return value is Undefined;
            case "none": return value is null;
            case "boolean": return value is bool;
            case "false": return value is false;
            case "true": return value is true;
            case "integer": return value is long;
            case "float": return value is double;
            case "number": return value is long or double or bool;
            case "string": return value is string;
            case "mapping": return value is PyDict;
            case "iterable": return value is string or List<object?> or PyTuple or PyDict or Undefined or PyIterator;
            case "sequence": return value is string or List<object?> or PyTuple or PyDict or Undefined;
            case "callable": return value is PyCallable or LoopContext or Undefined;
            case "escaped": return false;
            case "sameas":
            {
                var other = args.Get(0, "other");
                return value switch
                {
                    null => other is null,
                    bool b => other is bool ob && b == ob,
                    long l when l is >= -5 and <= 256 => other is long ol && l == ol,
                    string s when s.Length <= 1 => other is string os && s == os,
                    _ => ReferenceEquals(value, other),
                };
            }

            case "odd": return PyOps.Eq(PyOps.Mod(value, 2L), 1L);
            case "even": return PyOps.Eq(PyOps.Mod(value, 2L), 0L);
            case "divisibleby": return PyOps.Eq(PyOps.Mod(value, args.Get(0, "num")), 0L);
            case "eq" or "equalto" or "==": return PyOps.Eq(value, args.Get(0, "other"));
            case "ne" or "!=": return !PyOps.Eq(value, args.Get(0, "other"));
            case "lt" or "lessthan" or "<": return PyOps.Compare(value, args.Get(0, "other"), "<") < 0;
            case "le" or "<=": return PyOps.Compare(value, args.Get(0, "other"), "<=") <= 0;
            case "gt" or "greaterthan" or ">": return PyOps.Compare(value, args.Get(0, "other"), ">") > 0;
            case "ge" or ">=": return PyOps.Compare(value, args.Get(0, "other"), ">=") >= 0;
            case "in": return PyOps.Contains(args.Get(0, "seq"), value);
            case "lower": { var s = PyRepr.Str(value); return s.Any(char.IsLetter) && s == s.ToLowerInvariant(); }
            case "upper": { var s = PyRepr.Str(value); return s.Any(char.IsLetter) && s == s.ToUpperInvariant(); }
            case "filter": return value is string f && Filters.Exists(f);
            case "test": return value is string t && Exists(t);
            default: throw new TemplateException($"No test named '{name}'.");
        }
    }
}
