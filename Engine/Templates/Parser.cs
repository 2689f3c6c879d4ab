namespace LlmSuite.Engine.Templates;

/// <summary>
/// Recursive-descent parser producing the statement tree, mirroring <c>jinja2.parser.Parser</c> (same precedence,
/// same statement grammar, same error wording for unknown/unclosed tags). Statements live here; expressions in
/// <c>Parser.Expressions.cs</c>.
/// </summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private readonly SourceMap _map;
    private readonly List<string[]> _endTokenStack = [];
    private readonly List<string> _tagStack = [];
    private int _index;
    private int _forDepth;

    private Parser(List<Token> tokens, SourceMap map)
    {
        _tokens = tokens;
        _map = map;
    }

    /// <summary>Parses a template into its top-level statements.</summary>
    public static (Stmt[] Body, SourceMap Map) Parse(string source)
    {
        var (tokens, map) = Lexer.Tokenize(source);
        var parser = new Parser(tokens, map);
        var body = parser.Subparse(null);
        return (body, map);
    }

    private Token Current => _tokens[_index];

    private Token Look => _index + 1 < _tokens.Count ? _tokens[_index + 1] : _tokens[^1];

    private Token Next()
    {
        var t = _tokens[_index];
        if (_index < _tokens.Count - 1)
        {
            _index++;
        }

        return t;
    }

    private TemplateSyntaxException Fail(string message, int pos)
    {
        var (line, col) = _map.Locate(pos);
        return new TemplateSyntaxException(message, line, col);
    }

    private TemplateSyntaxException Fail(string message) => Fail(message, Current.Position);

    private bool SkipOp(string op)
    {
        if (Current.IsOp(op))
        {
            Next();
            return true;
        }

        return false;
    }

    private bool SkipName(string name)
    {
        if (Current.IsName(name))
        {
            Next();
            return true;
        }

        return false;
    }

    private Token Expect(TokenKind kind, string description)
    {
        if (Current.Kind != kind)
        {
            throw ExpectedError(description);
        }

        return Next();
    }

    private Token ExpectOp(string op)
    {
        if (!Current.IsOp(op))
        {
            throw ExpectedError(op);
        }

        return Next();
    }

    private void ExpectNameValue(string name)
    {
        if (!Current.IsName(name))
        {
            throw ExpectedError(name);
        }

        Next();
    }

    private TemplateSyntaxException ExpectedError(string description)
    {
        if (Current.Kind == TokenKind.Eof)
        {
            return Fail($"unexpected end of template, expected '{description}'.");
        }

        return Fail($"expected token '{description}', got '{Current.Describe()}'");
    }

    private Stmt[] Subparse(string[]? endTokens)
    {
        var body = new List<Stmt>();
        if (endTokens is not null)
        {
            _endTokenStack.Add(endTokens);
        }

        try
        {
            while (Current.Kind != TokenKind.Eof)
            {
                var token = Current;
                switch (token.Kind)
                {
                    case TokenKind.Data:
                        Next();
                        body.Add(new DataStmt(token.Position, token.Text));
                        break;
                    case TokenKind.VariableBegin:
                        Next();
                        body.Add(new PrintStmt(token.Position, ParseTuple(withCondExpr: true)));
                        Expect(TokenKind.VariableEnd, "end of print statement");
                        break;
                    case TokenKind.BlockBegin:
                        Next();
                        if (endTokens is not null && Current.Kind == TokenKind.Name && endTokens.Contains(Current.Text))
                        {
                            return [.. body];
                        }

                        var stmt = ParseStatement();
                        if (stmt is not null)
                        {
                            body.Add(stmt);
                        }

                        Expect(TokenKind.BlockEnd, "end of statement block");
                        break;
                    default:
                        throw Fail($"unexpected '{token.Describe()}'");
                }
            }
        }
        finally
        {
            if (endTokens is not null)
            {
                _endTokenStack.RemoveAt(_endTokenStack.Count - 1);
            }
        }

        return [.. body];
    }

    private TemplateSyntaxException UnknownTag(string? name, int pos, string[]? pendingEnd = null)
    {
        var stack = new List<string[]>(_endTokenStack);
        if (pendingEnd is not null)
        {
            stack.Add(pendingEnd);
        }

        var expected = new HashSet<string>();
        foreach (var set in stack)
        {
            expected.UnionWith(set);
        }

        var parts = new List<string> { name is null ? "Unexpected end of template." : $"Encountered unknown tag '{name}'." };
        if (stack.Count > 0)
        {
            var looking = string.Join(" or ", stack[^1].Select(t => $"'{t}'"));
            parts.Add(name is not null && expected.Contains(name)
                ? $"You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for {looking}."
                : $"Jinja was looking for the following tags: {looking}.");
        }

        if (_tagStack.Count > 0)
        {
            parts.Add($"The innermost block that needs to be closed is '{_tagStack[^1]}'.");
        }

        return Fail(string.Join(" ", parts), pos);
    }

    /// <summary>Parses the body of a block up to one of <paramref name="endTokens"/>; the end name stays current
    /// unless <paramref name="dropNeedle"/>.</summary>
    private Stmt[] ParseStatements(string[] endTokens, bool dropNeedle = false)
    {
        SkipOp(":");
        Expect(TokenKind.BlockEnd, "end of statement block");
        var result = Subparse(endTokens);
        if (Current.Kind == TokenKind.Eof)
        {
            throw UnknownTag(null, Current.Position, endTokens);
        }

        if (dropNeedle)
        {
            Next();
        }

        return result;
    }

    private Stmt? ParseStatement()
    {
        var token = Current;
        if (token.Kind != TokenKind.Name)
        {
            throw Fail("tag name expected");
        }

        _tagStack.Add(token.Text);
        var popTag = true;
        try
        {
            switch (token.Text)
            {
                case "for": return ParseFor();
                case "if": return ParseIf();
                case "set": return ParseSet();
                case "macro": return ParseMacro();
                case "call": return ParseCallBlock();
                case "filter": return ParseFilterBlock();
                case "with": return ParseWith();
                case "print":
                    Next();
                    return new PrintStmt(token.Position, ParseTuple(withCondExpr: true));
                case "break":
                case "continue":
                    Next();
                    if (_forDepth == 0)
                    {
                        throw Fail($"'{token.Text}' outside of a loop", token.Position);
                    }

                    return token.Text == "break" ? new BreakStmt(token.Position) : new ContinueStmt(token.Position);
                case "generation":
                    Next();
                    return new BlockStmt(token.Position, ParseStatements(["endgeneration"], dropNeedle: true));
                case "block" or "extends" or "include" or "import" or "from" or "autoescape" or "do":
                    throw Fail($"The '{token.Text}' tag is not supported by this template engine (chat templates do not need it).", token.Position);
                default:
                    _tagStack.RemoveAt(_tagStack.Count - 1);
                    popTag = false;
                    throw UnknownTag(token.Text, token.Position);
            }
        }
        finally
        {
            if (popTag)
            {
                _tagStack.RemoveAt(_tagStack.Count - 1);
            }
        }
    }

    private ForStmt ParseFor()
    {
        var pos = Next().Position;
        var target = ParseAssignTarget(extraEnd: "in");
        ExpectNameValue("in");
        var iter = ParseTuple(withCondExpr: false, extraEnd: "recursive");
        Expr? filter = null;
        if (SkipName("if"))
        {
            filter = ParseExpression();
        }

        var recursive = SkipName("recursive");
        _forDepth++;
        Stmt[] body;
        try
        {
            body = ParseStatements(["endfor", "else"]);
        }
        finally
        {
            _forDepth--;
        }

        Stmt[] otherwise = [];
        if (Next().Text != "endfor")
        {
            otherwise = ParseStatements(["endfor"], dropNeedle: true);
        }

        return new ForStmt(pos, target, iter, body, otherwise, filter, recursive);
    }

    private IfStmt ParseIf()
    {
        var pos = Next().Position;
        return ParseIfChain(pos);
    }

    private IfStmt ParseIfChain(int pos)
    {
        var test = ParseTuple(withCondExpr: false);
        var body = ParseStatements(["elif", "else", "endif"]);
        var token = Next();
        Stmt[] otherwise = [];
        if (token.Text == "elif")
        {
            otherwise = [ParseIfChain(token.Position)];
        }
        else if (token.Text == "else")
        {
            otherwise = ParseStatements(["endif"], dropNeedle: true);
        }

        return new IfStmt(pos, test, body, otherwise);
    }

    private Stmt ParseSet()
    {
        var pos = Next().Position;
        var target = ParseAssignTarget(withNamespace: true);
        if (SkipOp("="))
        {
            return new SetStmt(pos, target, ParseTuple(withCondExpr: true));
        }

        var filter = Current.IsOp("|") ? ParseFilter(null) as FilterExpr : null;
        var body = ParseStatements(["endset"], dropNeedle: true);
        return new SetBlockStmt(pos, target, body, filter);
    }

    private MacroStmt ParseMacro()
    {
        var pos = Next().Position;
        var name = Expect(TokenKind.Name, "name").Text;
        var signature = ParseSignature();
        var saved = _forDepth;
        _forDepth = 0;
        try
        {
            var body = ParseStatements(["endmacro"], dropNeedle: true);
            return new MacroStmt(pos, name, signature, body);
        }
        finally
        {
            _forDepth = saved;
        }
    }

    private Signature ParseSignature()
    {
        ExpectOp("(");
        var names = new List<string>();
        var defaults = new List<Expr>();
        while (!Current.IsOp(")"))
        {
            if (names.Count > 0)
            {
                ExpectOp(",");
            }

            var arg = Expect(TokenKind.Name, "name");
            if (SkipOp("="))
            {
                defaults.Add(ParseExpression());
            }
            else if (defaults.Count > 0)
            {
                throw Fail("non-default argument follows default argument", arg.Position);
            }

            names.Add(arg.Text);
        }

        ExpectOp(")");
        return new Signature([.. names], [.. defaults]);
    }

    private CallBlockStmt ParseCallBlock()
    {
        var pos = Next().Position;
        var signature = Current.IsOp("(") ? ParseSignature() : Signature.Empty;
        var callPos = Current.Position;
        if (ParseExpression() is not CallExpr call)
        {
            throw Fail("expected call", callPos);
        }

        var saved = _forDepth;
        _forDepth = 0;
        try
        {
            var body = ParseStatements(["endcall"], dropNeedle: true);
            return new CallBlockStmt(pos, call, signature, body);
        }
        finally
        {
            _forDepth = saved;
        }
    }

    private FilterBlockStmt ParseFilterBlock()
    {
        var pos = Next().Position;
        var filter = (FilterExpr)ParseFilter(null, startInline: true)!;
        var body = ParseStatements(["endfilter"], dropNeedle: true);
        return new FilterBlockStmt(pos, filter, body);
    }

    private WithStmt ParseWith()
    {
        var pos = Next().Position;
        var targets = new List<Target>();
        var values = new List<Expr>();
        while (Current.Kind != TokenKind.BlockEnd)
        {
            if (targets.Count > 0)
            {
                ExpectOp(",");
            }

            targets.Add(ParseAssignTarget());
            ExpectOp("=");
            values.Add(ParseExpression());
        }

        var body = ParseStatements(["endwith"], dropNeedle: true);
        return new WithStmt(pos, [.. targets], [.. values], body);
    }

    private Target ParseAssignTarget(string? extraEnd = null, bool withNamespace = false)
    {
        if (withNamespace && Current.Kind == TokenKind.Name && Look.IsOp("."))
        {
            var ns = Next().Text;
            Next();
            var attr = Expect(TokenKind.Name, "name").Text;
            return new NamespaceTarget(ns, attr);
        }

        var pos = Current.Position;
        var expr = ParseTuple(withCondExpr: true, simplified: true, extraEnd: extraEnd);
        return ToTarget(expr, pos);
    }

    private Target ToTarget(Expr expr, int pos) => expr switch
    {
        NameExpr n when n.Name is not ("true" or "false" or "none" or "True" or "False" or "None") => new NameTarget(n.Name),
        TupleExpr t => new TupleTarget([.. t.Items.Select(i => ToTarget(i, pos))]),
        _ => throw Fail($"can't assign to {DescribeNode(expr)}", pos),
    };

    private static string DescribeNode(Expr expr) => expr switch
    {
        ConstExpr => "'const'",
        _ => $"'{expr.GetType().Name.Replace("Expr", "").ToLowerInvariant()}'",
    };
}
