namespace LlmSuite.Engine.Templates;

/// <summary>A <c>{% macro %}</c> (or the <c>caller</c> of a call block) bound to the frame it was defined in.</summary>
internal sealed class Macro(string name, Signature signature, Stmt[] body, Scope closure) : PyCallable
{
    public override string Name => name;

    public override object? Call(Interpreter interp, CallArgs args)
    {
        var scope = new Scope(closure);
        var names = signature.Names;
        var firstDefault = names.Length - signature.Defaults.Length;
        var consumed = new bool[names.Length];
        var positional = args.Positional;
        for (var i = 0; i < names.Length && i < positional.Length; i++)
        {
            scope.Set(names[i], positional[i]);
            consumed[i] = true;
        }

        var extraKwargs = new PyDict();
        object? caller = null;
        foreach (var kv in args.Keywords)
        {
            var idx = Array.IndexOf(names, kv.Key);
            if (idx >= 0)
            {
                if (consumed[idx])
                {
                    throw new TemplateException($"macro {PyRepr.Repr(name)} got multiple values for argument {PyRepr.Repr(kv.Key)}");
                }

                scope.Set(kv.Key, kv.Value);
                consumed[idx] = true;
            }
            else if (kv.Key == "caller")
            {
                caller = kv.Value;
            }
            else
            {
                extraKwargs.Set(kv.Key, kv.Value);
            }
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (consumed[i])
            {
                continue;
            }

            scope.Set(names[i], i >= firstDefault
                ? interp.Eval(signature.Defaults[i - firstDefault], scope)
                : Undefined.WithHint($"parameter {PyRepr.Repr(names[i])} was not provided"));
        }

        scope.Set("varargs", new PyTuple(positional.Length > names.Length ? positional[names.Length..] : []));
        scope.Set("kwargs", extraKwargs);
        if (caller is not null)
        {
            scope.Set("caller", caller);
        }

        return interp.RenderToString(body, scope);
    }
}
