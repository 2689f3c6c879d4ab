namespace LlmSuite.Engine.Templates;

/// <summary>Expression grammar, same precedence as Jinja2: condexpr, or, and, not, compare, +/-, ~, * / // %,
/// **, unary -/+, primary with postfix (. [] ()) and filter/test chains.</summary>
internal sealed partial class Parser
{
    private Expr ParseExpression(bool withCondExpr = true) => withCondExpr ? ParseCondExpr() : ParseOr();

    private Expr ParseCondExpr()
    {
        var pos = Current.Position;
        var expr1 = ParseOr();
        while (SkipName("if"))
        {
            var expr2 = ParseOr();
            Expr? expr3 = SkipName("else") ? ParseCondExpr() : null;
            expr1 = new CondExpr(pos, expr2, expr1, expr3);
        }

        return expr1;
    }

    private Expr ParseOr()
    {
        var pos = Current.Position;
        var left = ParseAnd();
        while (SkipName("or"))
        {
            left = new BinaryExpr(pos, BinaryOp.Or, left, ParseAnd());
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var pos = Current.Position;
        var left = ParseNot();
        while (SkipName("and"))
        {
            left = new BinaryExpr(pos, BinaryOp.And, left, ParseNot());
        }

        return left;
    }

    private Expr ParseNot()
    {
        if (Current.IsName("not"))
        {
            var pos = Next().Position;
            return new UnaryExpr(pos, UnaryOp.Not, ParseNot());
        }

        return ParseCompare();
    }

    private Expr ParseCompare()
    {
        var pos = Current.Position;
        var expr = ParseMath1();
        List<(string, Expr)>? ops = null;
        while (true)
        {
            var t = Current;
            if (t.Kind == TokenKind.Operator && t.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
            {
                Next();
                (ops ??= []).Add((t.Text, ParseMath1()));
            }
            else if (SkipName("in"))
            {
                (ops ??= []).Add(("in", ParseMath1()));
            }
            else if (t.IsName("not") && Look.IsName("in"))
            {
                Next();
                Next();
                (ops ??= []).Add(("notin", ParseMath1()));
            }
            else
            {
                break;
            }
        }

        return ops is null ? expr : new CompareExpr(pos, expr, [.. ops]);
    }

    private Expr ParseMath1()
    {
        var pos = Current.Position;
        var left = ParseConcat();
        while (Current.IsOp("+") || Current.IsOp("-"))
        {
            var op = Next().Text == "+" ? BinaryOp.Add : BinaryOp.Sub;
            left = new BinaryExpr(pos, op, left, ParseConcat());
        }

        return left;
    }

    private Expr ParseConcat()
    {
        var pos = Current.Position;
        var first = ParseMath2();
        if (!Current.IsOp("~"))
        {
            return first;
        }

        var parts = new List<Expr> { first };
        while (SkipOp("~"))
        {
            parts.Add(ParseMath2());
        }

        return new ConcatExpr(pos, [.. parts]);
    }

    private Expr ParseMath2()
    {
        var pos = Current.Position;
        var left = ParsePow();
        while (Current.Kind == TokenKind.Operator && Current.Text is "*" or "/" or "//" or "%")
        {
            var op = Next().Text switch
            {
                "*" => BinaryOp.Mul,
                "/" => BinaryOp.Div,
                "//" => BinaryOp.FloorDiv,
                _ => BinaryOp.Mod,
            };
            left = new BinaryExpr(pos, op, left, ParsePow());
        }

        return left;
    }

    private Expr ParsePow()
    {
        var pos = Current.Position;
        var left = ParseUnary();
        while (SkipOp("**"))
        {
            left = new BinaryExpr(pos, BinaryOp.Pow, left, ParseUnary());
        }

        return left;
    }

    private Expr ParseUnary(bool withFilter = true)
    {
        var pos = Current.Position;
        Expr node;
        if (SkipOp("-"))
        {
            node = new UnaryExpr(pos, UnaryOp.Neg, ParseUnary(false));
        }
        else if (SkipOp("+"))
        {
            node = new UnaryExpr(pos, UnaryOp.Pos, ParseUnary(false));
        }
        else
        {
            node = ParsePrimary();
        }

        node = ParsePostfix(node);
        if (withFilter)
        {
            node = ParseFilterExpr(node);
        }

        return node;
    }

    private Expr ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Name:
                Next();
                return token.Text switch
                {
                    "true" or "True" => new ConstExpr(token.Position, true),
                    "false" or "False" => new ConstExpr(token.Position, false),
                    "none" or "None" => new ConstExpr(token.Position, null),
                    _ => new NameExpr(token.Position, token.Text),
                };
            case TokenKind.String:
            {
                Next();
                var value = token.Text;
                while (Current.Kind == TokenKind.String)
                {
                    value += Next().Text;
                }

                return new ConstExpr(token.Position, value);
            }

            case TokenKind.Integer:
            case TokenKind.Float:
                Next();
                return new ConstExpr(token.Position, token.Value);
            case TokenKind.Operator when token.Text == "(":
            {
                Next();
                var node = ParseTuple(withCondExpr: true, explicitParentheses: true);
                ExpectOp(")");
                return node;
            }

            case TokenKind.Operator when token.Text == "[":
                return ParseList();
            case TokenKind.Operator when token.Text == "{":
                return ParseDict();
            default:
                if (token.Kind == TokenKind.Eof)
                {
                    throw Fail("unexpected end of template");
                }

                throw Fail($"unexpected '{token.Describe()}'");
        }
    }

    private bool IsTupleEnd(string? extraEnd)
    {
        var t = Current;
        if (t.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd || t.IsOp(")"))
        {
            return true;
        }

        return extraEnd is not null && t.IsName(extraEnd);
    }

    private Expr ParseTuple(bool withCondExpr, bool simplified = false, string? extraEnd = null, bool explicitParentheses = false)
    {
        var pos = Current.Position;
        var args = new List<Expr>();
        var isTuple = false;
        while (true)
        {
            if (args.Count > 0)
            {
                ExpectOp(",");
            }

            if (IsTupleEnd(extraEnd))
            {
                break;
            }

            args.Add(simplified ? ParsePrimary() : ParseExpression(withCondExpr));
            if (Current.IsOp(","))
            {
                isTuple = true;
            }
            else
            {
                break;
            }
        }

        if (!isTuple)
        {
            if (args.Count > 0)
            {
                return args[0];
            }

            if (!explicitParentheses)
            {
                throw Fail($"Expected an expression, got '{Current.Describe()}'");
            }
        }

        return new TupleExpr(pos, [.. args]);
    }

    private ListExpr ParseList()
    {
        var pos = ExpectOp("[").Position;
        var items = new List<Expr>();
        while (!Current.IsOp("]"))
        {
            if (items.Count > 0)
            {
                ExpectOp(",");
            }

            if (Current.IsOp("]"))
            {
                break;
            }

            items.Add(ParseExpression());
        }

        ExpectOp("]");
        return new ListExpr(pos, [.. items]);
    }

    private DictExpr ParseDict()
    {
        var pos = ExpectOp("{").Position;
        var items = new List<(Expr, Expr)>();
        while (!Current.IsOp("}"))
        {
            if (items.Count > 0)
            {
                ExpectOp(",");
            }

            if (Current.IsOp("}"))
            {
                break;
            }

            var key = ParseExpression();
            ExpectOp(":");
            items.Add((key, ParseExpression()));
        }

        ExpectOp("}");
        return new DictExpr(pos, [.. items]);
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            if (Current.IsOp(".") || Current.IsOp("["))
            {
                node = ParseSubscript(node);
            }
            else if (Current.IsOp("("))
            {
                node = new CallExpr(node.Pos, node, ParseCallArgs());
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseFilterExpr(Expr node)
    {
        while (true)
        {
            if (Current.IsOp("|"))
            {
                node = ParseFilter(node)!;
            }
            else if (Current.IsName("is"))
            {
                node = ParseTest(node);
            }
            else if (Current.IsOp("("))
            {
                node = new CallExpr(node.Pos, node, ParseCallArgs());
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseSubscript(Expr node)
    {
        var token = Next();
        if (token.IsOp("."))
        {
            var attr = Current;
            Next();
            if (attr.Kind == TokenKind.Name)
            {
                return new GetAttrExpr(token.Position, node, attr.Text);
            }

            if (attr.Kind != TokenKind.Integer)
            {
                throw Fail("expected name or number", attr.Position);
            }

            return new GetItemExpr(token.Position, node, new ConstExpr(attr.Position, attr.Value));
        }

        var args = new List<Expr>();
        while (!Current.IsOp("]"))
        {
            if (args.Count > 0)
            {
                ExpectOp(",");
            }

            args.Add(ParseSubscribed());
        }

        ExpectOp("]");
        var key = args.Count == 1 ? args[0] : new TupleExpr(token.Position, [.. args]);
        return new GetItemExpr(token.Position, node, key);
    }

    private Expr ParseSubscribed()
    {
        var pos = Current.Position;
        Expr? start;
        if (Current.IsOp(":"))
        {
            Next();
            start = null;
        }
        else
        {
            var node = ParseExpression();
            if (!Current.IsOp(":"))
            {
                return node;
            }

            Next();
            start = node;
        }

        Expr? stop = null;
        if (!Current.IsOp(":") && !Current.IsOp("]") && !Current.IsOp(","))
        {
            stop = ParseExpression();
        }

        Expr? step = null;
        if (SkipOp(":"))
        {
            if (!Current.IsOp("]") && !Current.IsOp(","))
            {
                step = ParseExpression();
            }
        }

        return new SliceExpr(pos, start, stop, step);
    }

    private ArgList ParseCallArgs()
    {
        var open = ExpectOp("(");
        var args = new List<Expr>();
        var kwargs = new List<(string, Expr)>();
        Expr? dynArgs = null;
        Expr? dynKwargs = null;
        var requireComma = false;
        void Ensure(bool ok)
        {
            if (!ok)
            {
                throw Fail("invalid syntax for function call expression", open.Position);
            }
        }

        while (!Current.IsOp(")"))
        {
            if (requireComma)
            {
                ExpectOp(",");
                if (Current.IsOp(")"))
                {
                    break;
                }
            }

            if (SkipOp("*"))
            {
                Ensure(dynArgs is null && dynKwargs is null);
                dynArgs = ParseExpression();
            }
            else if (SkipOp("**"))
            {
                Ensure(dynKwargs is null);
                dynKwargs = ParseExpression();
            }
            else if (Current.Kind == TokenKind.Name && Look.IsOp("="))
            {
                Ensure(dynKwargs is null);
                var key = Next().Text;
                Next();
                kwargs.Add((key, ParseExpression()));
            }
            else
            {
                Ensure(dynArgs is null && dynKwargs is null && kwargs.Count == 0);
                args.Add(ParseExpression());
            }

            requireComma = true;
        }

        ExpectOp(")");
        return new ArgList([.. args], [.. kwargs], dynArgs, dynKwargs);
    }

    private string ParseDottedName()
    {
        var name = Expect(TokenKind.Name, "name").Text;
        while (Current.IsOp("."))
        {
            Next();
            name += "." + Expect(TokenKind.Name, "name").Text;
        }

        return name;
    }

    private Expr? ParseFilter(Expr? node, bool startInline = false)
    {
        while (Current.IsOp("|") || startInline)
        {
            var pos = Current.Position;
            if (!startInline)
            {
                Next();
            }

            var namePos = Current.Position;
            var name = ParseDottedName();
            if (!Filters.Exists(name))
            {
                throw Fail($"No filter named '{name}'.", namePos);
            }

            var args = Current.IsOp("(") ? ParseCallArgs() : ArgList.Empty;
            node = new FilterExpr(pos, node, name, args);
            startInline = false;
        }

        return node;
    }

    private Expr ParseTest(Expr node)
    {
        var pos = Next().Position;
        var negated = SkipName("not");
        var namePos = Current.Position;
        var name = ParseDottedName();
        if (!Tests.Exists(name))
        {
            throw Fail($"No test named '{name}'.", namePos);
        }

        ArgList args;
        var t = Current;
        if (t.IsOp("("))
        {
            args = ParseCallArgs();
        }
        else if ((t.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float
                  || t.IsOp("(") || t.IsOp("[") || t.IsOp("{"))
                 && !t.IsName("else") && !t.IsName("or") && !t.IsName("and"))
        {
            if (t.IsName("is"))
            {
                throw Fail("You cannot chain multiple tests with is");
            }

            var arg = ParsePostfix(ParsePrimary());
            args = new ArgList([arg], [], null, null);
        }
        else
        {
            args = ArgList.Empty;
        }

        Expr result = new TestExpr(pos, node, name, args);
        return negated ? new UnaryExpr(pos, UnaryOp.Not, result) : result;
    }
}
