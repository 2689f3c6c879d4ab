namespace LlmSuite.Engine.Templates;

/// <summary>Expression evaluation.</summary>
internal sealed partial class Interpreter
{
    public object? Eval(Expr expr, Scope scope)
    {
        switch (expr)
        {
            case ConstExpr c:
                return c.Value;
            case NameExpr n:
                return Lookup(n.Name, scope);
            case GetAttrExpr ga:
                return PyAccess.GetAttr(Eval(ga.Obj, scope), ga.Name);
            case GetItemExpr gi:
            {
                var obj = Eval(gi.Obj, scope);
                return PyAccess.GetItem(obj, Eval(gi.Key, scope));
            }

            case CompareExpr cmp:
                return Boxes.Bool(EvalCompare(cmp, scope));
            case BinaryExpr b:
                return EvalBinary(b, scope);
            case UnaryExpr u:
            {
                var v = Eval(u.Operand, scope);
                return u.Op switch
                {
                    UnaryOp.Not => Boxes.Bool(!PyOps.Truthy(v)),
                    UnaryOp.Neg => PyOps.Negate(v),
                    _ => PyOps.Plus(v),
                };
            }

            case FilterExpr f:
                return ApplyFilterChain(f, null, scope);
            case TestExpr t:
                return Boxes.Bool(Tests.Apply(t.Name, Eval(t.Input, scope), EvalArgs(t.Args, scope)));
            case CallExpr call:
                return EvalCall(call, scope);
            case ConcatExpr cc:
            {
                var parts = new string[cc.Parts.Length];
                for (var i = 0; i < parts.Length; i++)
                {
                    parts[i] = PyRepr.Str(Eval(cc.Parts[i], scope));
                }

                return string.Concat(parts);
            }

            case CondExpr ce:
                if (PyOps.Truthy(Eval(ce.Test, scope)))
                {
                    return Eval(ce.Then, scope);
                }

                return ce.Otherwise is null
                    ? Undefined.WithHint($"the inline if-expression on line {_map.Locate(ce.Pos).Line} evaluated to false and no else section was defined.")
                    : Eval(ce.Otherwise, scope);
            case ListExpr l:
            {
                var list = new List<object?>(l.Items.Length);
                foreach (var item in l.Items)
                {
                    list.Add(Eval(item, scope));
                }

                return list;
            }

            case TupleExpr t:
            {
                var items = new object?[t.Items.Length];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = Eval(t.Items[i], scope);
                }

                return new PyTuple(items);
            }

            case DictExpr d:
            {
                var dict = new PyDict(d.Pairs.Length);
                foreach (var (k, v) in d.Pairs)
                {
                    var key = Eval(k, scope);
                    if (key is List<object?> or PyDict)
                    {
                        throw new TemplateException($"unhashable type: '{PyRepr.TypeName(key)}'");
                    }

                    dict.Set(key, Eval(v, scope));
                }

                return dict;
            }

            case SliceExpr s:
                return new SliceValue(
                    s.Start is null ? null : Eval(s.Start, scope),
                    s.Stop is null ? null : Eval(s.Stop, scope),
                    s.Step is null ? null : Eval(s.Step, scope));
            default:
                throw new InvalidOperationException($"Unknown expression node {expr.GetType().Name}.");
        }
    }

    private object? EvalBinary(BinaryExpr b, Scope scope)
    {
        var left = Eval(b.Left, scope);
        switch (b.Op)
        {
            case BinaryOp.And:
                return PyOps.Truthy(left) ? Eval(b.Right, scope) : left;
            case BinaryOp.Or:
                return PyOps.Truthy(left) ? left : Eval(b.Right, scope);
        }

        var right = Eval(b.Right, scope);
        return b.Op switch
        {
            BinaryOp.Add => PyOps.Add(left, right),
            BinaryOp.Sub => PyOps.Sub(left, right),
            BinaryOp.Mul => PyOps.Mul(left, right),
            BinaryOp.Div => PyOps.Div(left, right),
            BinaryOp.FloorDiv => PyOps.FloorDiv(left, right),
            BinaryOp.Mod => PyOps.Mod(left, right),
            _ => PyOps.Pow(left, right),
        };
    }

    private bool EvalCompare(CompareExpr cmp, Scope scope)
    {
        var left = Eval(cmp.First, scope);
        foreach (var (op, rightExpr) in cmp.Rest)
        {
            var right = Eval(rightExpr, scope);
            var ok = op switch
            {
                "==" => PyOps.Eq(left, right),
                "!=" => !PyOps.Eq(left, right),
                "<" => PyOps.Compare(left, right, op) < 0,
                "<=" => PyOps.Compare(left, right, op) <= 0,
                ">" => PyOps.Compare(left, right, op) > 0,
                ">=" => PyOps.Compare(left, right, op) >= 0,
                "in" => PyOps.Contains(right, left),
                _ => !PyOps.Contains(right, left),
            };
            if (!ok)
            {
                return false;
            }

            left = right;
        }

        return true;
    }

    private object? EvalCall(CallExpr call, Scope scope)
    {
        // Fast path for method calls on plain values: no BoundMethod allocation.
        if (call.Callee is GetAttrExpr ga)
        {
            var receiver = Eval(ga.Obj, scope);
            if (PyAccess.IsSafeMethod(receiver, ga.Name))
            {
                return Methods.Call(receiver!, ga.Name, EvalArgs(call.Args, scope));
            }

            var member = PyAccess.GetAttr(receiver, ga.Name);
            return Invoke(member, EvalArgs(call.Args, scope));
        }

        return Invoke(Eval(call.Callee, scope), EvalArgs(call.Args, scope));
    }

    private object? Invoke(object? callee, CallArgs args) => callee switch
    {
        PyCallable c => c.Call(this, args),
        LoopContext loop => loop.Recurse(args.Get(0, "iterable")),
        Undefined u => throw u.Fail(),
        _ => throw new TemplateException($"{PyRepr.Repr(PyRepr.TypeName(callee))} object is not callable"),
    };

    private CallArgs EvalArgs(ArgList args, Scope scope, (string Name, object? Value)? extra = null)
    {
        if (args.Positional.Length == 0 && args.Keywords.Length == 0 && args.DynArgs is null && args.DynKwargs is null && extra is null)
        {
            return CallArgs.None;
        }

        if (args.DynArgs is null && args.DynKwargs is null && extra is null)
        {
            var pos = new object?[args.Positional.Length];
            for (var i = 0; i < pos.Length; i++)
            {
                pos[i] = Eval(args.Positional[i], scope);
            }

            KeyValuePair<string, object?>[]? kws = null;
            if (args.Keywords.Length > 0)
            {
                kws = new KeyValuePair<string, object?>[args.Keywords.Length];
                for (var i = 0; i < kws.Length; i++)
                {
                    kws[i] = new(args.Keywords[i].Name, Eval(args.Keywords[i].Value, scope));
                }
            }

            return new CallArgs(pos, kws);
        }

        var positional = new List<object?>(args.Positional.Length);
        foreach (var p in args.Positional)
        {
            positional.Add(Eval(p, scope));
        }

        if (args.DynArgs is not null)
        {
            positional.AddRange(PyAccess.Iterate(Eval(args.DynArgs, scope)));
        }

        var keywords = new List<KeyValuePair<string, object?>>(args.Keywords.Length + 1);
        foreach (var (name, value) in args.Keywords)
        {
            keywords.Add(new(name, Eval(value, scope)));
        }

        if (args.DynKwargs is not null)
        {
            if (Eval(args.DynKwargs, scope) is not PyDict kw)
            {
                throw new TemplateException("argument after ** must be a mapping");
            }

            foreach (var kv in kw.Items)
            {
                keywords.Add(new(PyRepr.Str(PyDict.KeyValue(kv.Key)), kv.Value));
            }
        }

        if (extra is { } e)
        {
            keywords.Add(new(e.Name, e.Value));
        }

        return new CallArgs([.. positional], [.. keywords]);
    }

    /// <summary>Applies a filter chain; the innermost filter's input is <paramref name="seed"/> when its
    /// <see cref="FilterExpr.Input"/> is null (filter blocks), else the evaluated input expression.</summary>
    private object? ApplyFilterChain(FilterExpr f, object? seed, Scope scope)
    {
        var input = f.Input switch
        {
            null => seed,
            FilterExpr inner => ApplyFilterChain(inner, seed, scope),
            var e => Eval(e, scope),
        };
        return Filters.Apply(this, f.Name, input, EvalArgs(f.Args, scope));
    }
}
