namespace LlmSuite.Engine.Templates;

/// <summary>Base of expression nodes. <see cref="Pos"/> is the source offset of the node's first token.</summary>
internal abstract class Expr(int pos)
{
    public int Pos { get; } = pos;
}

internal sealed class ConstExpr(int pos, object? value) : Expr(pos)
{
    public object? Value { get; } = value;
}

internal sealed class NameExpr(int pos, string name) : Expr(pos)
{
    public string Name { get; } = name;
}

internal sealed class ListExpr(int pos, Expr[] items) : Expr(pos)
{
    public Expr[] Items { get; } = items;
}

internal sealed class TupleExpr(int pos, Expr[] items) : Expr(pos)
{
    public Expr[] Items { get; } = items;
}

internal sealed class DictExpr(int pos, (Expr Key, Expr Value)[] pairs) : Expr(pos)
{
    public (Expr Key, Expr Value)[] Pairs { get; } = pairs;
}

internal sealed class GetAttrExpr(int pos, Expr obj, string name) : Expr(pos)
{
    public Expr Obj { get; } = obj;

    public string Name { get; } = name;
}

internal sealed class GetItemExpr(int pos, Expr obj, Expr key) : Expr(pos)
{
    public Expr Obj { get; } = obj;

    public Expr Key { get; } = key;
}

internal sealed class SliceExpr(int pos, Expr? start, Expr? stop, Expr? step) : Expr(pos)
{
    public Expr? Start { get; } = start;

    public Expr? Stop { get; } = stop;

    public Expr? Step { get; } = step;
}

/// <summary>Call arguments as written: positional, keyword, <c>*args</c> and <c>**kwargs</c>.</summary>
internal sealed class ArgList(Expr[] positional, (string Name, Expr Value)[] keywords, Expr? dynArgs, Expr? dynKwargs)
{
    public static readonly ArgList Empty = new([], [], null, null);

    public Expr[] Positional { get; } = positional;

    public (string Name, Expr Value)[] Keywords { get; } = keywords;

    public Expr? DynArgs { get; } = dynArgs;

    public Expr? DynKwargs { get; } = dynKwargs;
}

internal sealed class CallExpr(int pos, Expr callee, ArgList args) : Expr(pos)
{
    public Expr Callee { get; } = callee;

    public ArgList Args { get; } = args;
}

/// <summary><c>input | name(args)</c>; <see cref="Input"/> is null inside <c>{% filter %}</c>/<c>{% set x | f %}</c>.</summary>
internal sealed class FilterExpr(int pos, Expr? input, string name, ArgList args) : Expr(pos)
{
    public Expr? Input { get; } = input;

    public string Name { get; } = name;

    public ArgList Args { get; } = args;
}

internal sealed class TestExpr(int pos, Expr input, string name, ArgList args) : Expr(pos)
{
    public Expr Input { get; } = input;

    public string Name { get; } = name;

    public ArgList Args { get; } = args;
}

internal enum UnaryOp : byte
{
    Not,
    Neg,
    Pos,
}

internal sealed class UnaryExpr(int pos, UnaryOp op, Expr operand) : Expr(pos)
{
    public UnaryOp Op { get; } = op;

    public Expr Operand { get; } = operand;
}

internal enum BinaryOp : byte
{
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    And,
    Or,
}

internal sealed class BinaryExpr(int pos, BinaryOp op, Expr left, Expr right) : Expr(pos)
{
    public BinaryOp Op { get; } = op;

    public Expr Left { get; } = left;

    public Expr Right { get; } = right;
}

internal sealed class ConcatExpr(int pos, Expr[] parts) : Expr(pos)
{
    public Expr[] Parts { get; } = parts;
}

/// <summary><c>a op1 b op2 c</c> chained comparisons; ops are "==", "!=", "&lt;", "&lt;=", "&gt;", "&gt;=", "in", "notin".</summary>
internal sealed class CompareExpr(int pos, Expr first, (string Op, Expr Right)[] rest) : Expr(pos)
{
    public Expr First { get; } = first;

    public (string Op, Expr Right)[] Rest { get; } = rest;
}

internal sealed class CondExpr(int pos, Expr test, Expr then, Expr? otherwise) : Expr(pos)
{
    public Expr Test { get; } = test;

    public Expr Then { get; } = then;

    public Expr? Otherwise { get; } = otherwise;
}
