using System.Text;

namespace LlmSuite.Engine.Templates;

/// <summary>Control flow signal returned by statement execution (<c>{% break %}</c>/<c>{% continue %}</c>).</summary>
internal enum Flow : byte
{
    Normal,
    Break,
    Continue,
}

/// <summary>
/// Tree-walking interpreter for one render: executes statements into a <see cref="StringBuilder"/>. Name lookup
/// goes through the frame chain, then the render variables, then the globals. Expressions are in
/// <c>Interpreter.Expressions.cs</c>.
/// </summary>
internal sealed partial class Interpreter
{
    private readonly IReadOnlyDictionary<string, object?> _vars;
    private readonly IReadOnlyDictionary<string, object?> _globals;
    private readonly SourceMap _map;

    public Interpreter(IReadOnlyDictionary<string, object?> vars, IReadOnlyDictionary<string, object?> globals, SourceMap map, TimeProvider clock)
    {
        _vars = vars;
        _globals = globals;
        _map = map;
        Clock = clock;
    }

    /// <summary>The clock <c>strftime_now</c> reads.</summary>
    public TimeProvider Clock { get; }

    public string Render(Stmt[] body)
    {
        var sb = new StringBuilder(1024);
        ExecBlock(body, new Scope(null), sb);
        return sb.ToString();
    }

    public string RenderToString(Stmt[] body, Scope scope)
    {
        var sb = new StringBuilder();
        ExecBlock(body, scope, sb);
        return sb.ToString();
    }

    private Flow ExecBlock(Stmt[] body, Scope scope, StringBuilder sb)
    {
        foreach (var stmt in body)
        {
            var flow = Exec(stmt, scope, sb);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }

    private Flow Exec(Stmt stmt, Scope scope, StringBuilder sb)
    {
        try
        {
            switch (stmt)
            {
                case DataStmt d:
                    sb.Append(d.Text);
                    return Flow.Normal;
                case PrintStmt p:
                    AppendValue(sb, Eval(p.Expr, scope));
                    return Flow.Normal;
                case IfStmt i:
                    return ExecBlock(PyOps.Truthy(Eval(i.Test, scope)) ? i.Body : i.Otherwise, scope, sb);
                case ForStmt f:
                    ExecFor(f, scope, sb);
                    return Flow.Normal;
                case SetStmt s:
                    Assign(s.Target, Eval(s.Value, scope), scope);
                    return Flow.Normal;
                case SetBlockStmt sbk:
                {
                    object? value = RenderToString(sbk.Body, new Scope(scope));
                    if (sbk.Filter is not null)
                    {
                        value = ApplyFilterChain(sbk.Filter, value, scope);
                    }

                    Assign(sbk.Target, value, scope);
                    return Flow.Normal;
                }

                case MacroStmt m:
                    scope.Set(m.Name, new Macro(m.Name, m.Signature, m.Body, scope));
                    return Flow.Normal;
                case CallBlockStmt c:
                {
                    var caller = new Macro("caller", c.Signature, c.Body, scope);
                    var callee = Eval(c.Call.Callee, scope);
                    var args = EvalArgs(c.Call.Args, scope, ("caller", caller));
                    AppendValue(sb, Invoke(callee, args));
                    return Flow.Normal;
                }

                case FilterBlockStmt fb:
                    AppendValue(sb, ApplyFilterChain(fb.Filter, RenderToString(fb.Body, new Scope(scope)), scope));
                    return Flow.Normal;
                case WithStmt w:
                {
                    var inner = new Scope(scope);
                    for (var k = 0; k < w.Targets.Length; k++)
                    {
                        Assign(w.Targets[k], Eval(w.Values[k], scope), inner);
                    }

                    return ExecBlock(w.Body, inner, sb);
                }

                case BlockStmt b:
                    return ExecBlock(b.Body, scope, sb);
                case BreakStmt:
                    return Flow.Break;
                case ContinueStmt:
                    return Flow.Continue;
                default:
                    throw new InvalidOperationException($"Unknown statement node {stmt.GetType().Name}.");
            }
        }
        catch (TemplateException e) when (e.Line == 0)
        {
            e.Line = _map.Locate(stmt.Pos).Line;
            throw;
        }
    }

    private static void AppendValue(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case string s:
                sb.Append(s);
                break;
            case Undefined:
                break;
            case long l:
                sb.Append(l);
                break;
            default:
                sb.Append(PyRepr.Str(value));
                break;
        }
    }

    private void ExecFor(ForStmt f, Scope scope, StringBuilder sb)
    {
        var iterable = Eval(f.Iter, scope);
        RunLoop(f, scope, iterable, 0, sb, out var iterated);
        if (!iterated && f.Otherwise.Length > 0)
        {
            ExecBlock(f.Otherwise, new Scope(scope), sb);
        }
    }

    private void RunLoop(ForStmt f, Scope scope, object? iterable, int depth0, StringBuilder sb, out bool iterated)
    {
        var items = PyAccess.Iterate(iterable);
        Func<object?, bool>? filter = null;
        if (f.Filter is not null)
        {
            filter = item =>
            {
                var probe = new Scope(scope);
                Assign(f.Target, item, probe);
                return PyOps.Truthy(Eval(f.Filter, probe));
            };
        }

        Func<object?, int, string>? recurse = null;
        if (f.Recursive)
        {
            recurse = (inner, depth) =>
            {
                var nested = new StringBuilder();
                RunLoop(f, scope, inner, depth, nested, out _);
                return nested.ToString();
            };
        }

        var loop = new LoopContext(new LoopSource(items, filter), depth0, recurse);
        iterated = false;
        while (loop.MoveNext(out var item))
        {
            iterated = true;
            var iterScope = new Scope(scope);
            Assign(f.Target, item, iterScope);
            iterScope.Set("loop", loop);
            if (ExecBlock(f.Body, iterScope, sb) == Flow.Break)
            {
                break;
            }
        }
    }

    private void Assign(Target target, object? value, Scope scope)
    {
        switch (target)
        {
            case NameTarget n:
                scope.Set(n.Name, value);
                break;
            case TupleTarget t:
            {
                if (value is Undefined u)
                {
                    throw u.Fail();
                }

                var items = PyAccess.Iterate(value);
                if (items.Count != t.Items.Length)
                {
                    throw new TemplateException(items.Count > t.Items.Length
                        ? $"too many values to unpack (expected {t.Items.Length})"
                        : $"not enough values to unpack (expected {t.Items.Length}, got {items.Count})");
                }

                for (var i = 0; i < items.Count; i++)
                {
                    Assign(t.Items[i], items[i], scope);
                }

                break;
            }

            case NamespaceTarget ns:
            {
                if (Lookup(ns.Ns, scope) is not Namespace space)
                {
                    throw new TemplateException("cannot assign attribute on non-namespace object");
                }

                space.Attributes[ns.Attr] = value;
                break;
            }
        }
    }

    private object? Lookup(string name, Scope scope)
    {
        if (scope.TryGet(name, out var value) || _vars.TryGetValue(name, out value) || _globals.TryGetValue(name, out value))
        {
            return value;
        }

        return Undefined.ForName(name);
    }
}
