namespace LlmSuite.Engine.Templates;

/// <summary>Base of statement nodes.</summary>
internal abstract class Stmt(int pos)
{
    public int Pos { get; } = pos;
}

internal sealed class DataStmt(int pos, string text) : Stmt(pos)
{
    public string Text { get; } = text;
}

internal sealed class PrintStmt(int pos, Expr expr) : Stmt(pos)
{
    public Expr Expr { get; } = expr;
}

internal sealed class IfStmt(int pos, Expr test, Stmt[] body, Stmt[] otherwise) : Stmt(pos)
{
    public Expr Test { get; } = test;

    public Stmt[] Body { get; } = body;

    public Stmt[] Otherwise { get; } = otherwise;
}

internal sealed class ForStmt(int pos, Target target, Expr iter, Stmt[] body, Stmt[] otherwise, Expr? filter, bool recursive)
    : Stmt(pos)
{
    public Target Target { get; } = target;

    public Expr Iter { get; } = iter;

    public Stmt[] Body { get; } = body;

    public Stmt[] Otherwise { get; } = otherwise;

    public Expr? Filter { get; } = filter;

    public bool Recursive { get; } = recursive;
}

internal sealed class SetStmt(int pos, Target target, Expr value) : Stmt(pos)
{
    public Target Target { get; } = target;

    public Expr Value { get; } = value;
}

internal sealed class SetBlockStmt(int pos, Target target, Stmt[] body, FilterExpr? filter) : Stmt(pos)
{
    public Target Target { get; } = target;

    public Stmt[] Body { get; } = body;

    /// <summary>Filter chain applied to the rendered body; innermost <see cref="FilterExpr.Input"/> is null.</summary>
    public FilterExpr? Filter { get; } = filter;
}

/// <summary>A macro signature: parameter names and defaults aligned to the last parameters.</summary>
internal sealed class Signature(string[] names, Expr[] defaults)
{
    public static readonly Signature Empty = new([], []);

    public string[] Names { get; } = names;

    public Expr[] Defaults { get; } = defaults;
}

internal sealed class MacroStmt(int pos, string name, Signature signature, Stmt[] body) : Stmt(pos)
{
    public string Name { get; } = name;

    public Signature Signature { get; } = signature;

    public Stmt[] Body { get; } = body;
}

internal sealed class CallBlockStmt(int pos, CallExpr call, Signature signature, Stmt[] body) : Stmt(pos)
{
    public CallExpr Call { get; } = call;

    public Signature Signature { get; } = signature;

    public Stmt[] Body { get; } = body;
}

internal sealed class FilterBlockStmt(int pos, FilterExpr filter, Stmt[] body) : Stmt(pos)
{
    public FilterExpr Filter { get; } = filter;

    public Stmt[] Body { get; } = body;
}

internal sealed class WithStmt(int pos, Target[] targets, Expr[] values, Stmt[] body) : Stmt(pos)
{
    public Target[] Targets { get; } = targets;

    public Expr[] Values { get; } = values;

    public Stmt[] Body { get; } = body;
}

/// <summary>A body that is rendered inline (HF's <c>{% generation %}</c> tag).</summary>
internal sealed class BlockStmt(int pos, Stmt[] body) : Stmt(pos)
{
    public Stmt[] Body { get; } = body;
}

internal sealed class BreakStmt(int pos) : Stmt(pos);

internal sealed class ContinueStmt(int pos) : Stmt(pos);

/// <summary>Assignment targets of <c>for</c>/<c>set</c>/<c>with</c>.</summary>
internal abstract class Target;

internal sealed class NameTarget(string name) : Target
{
    public string Name { get; } = name;
}

internal sealed class TupleTarget(Target[] items) : Target
{
    public Target[] Items { get; } = items;
}

internal sealed class NamespaceTarget(string ns, string attr) : Target
{
    public string Ns { get; } = ns;

    public string Attr { get; } = attr;
}
