using System.Text.Json;
using System.Text.Json.Nodes;
using LlmSuite.Engine.Templates;

namespace LlmSuite.Engine.Tests.Templates;

/// <summary>Public API behavior of <see cref="ChatTemplate"/>: caching, CLR value conversion, errors, clock.</summary>
public class ChatTemplateTests
{
    private static string Render(string source, params (string Name, object? Value)[] vars)
        => ChatTemplate.Parse(source).Render(vars.ToDictionary(v => v.Name, v => v.Value), FixedClock.Instance);

    [Fact]
    public void Parse_SameSourceTwice_ReturnsCachedInstance()
    {
        var source = "{{ 'cached' }}" + Guid.NewGuid().ToString("N")[..4];
        Assert.Same(ChatTemplate.Parse(source), ChatTemplate.Parse(source));
        Assert.Equal(source, ChatTemplate.Parse(source).Source);
    }

    [Fact]
    public void Render_ClrScalars_PrintLikePythonStr()
    {
        var output = Render("{{ i }}|{{ l }}|{{ d }}|{{ f }}|{{ m }}|{{ b }}|{{ n }}|{{ s }}|{{ c }}|{{ u }}",
            ("i", 3), ("l", 4L), ("d", 3.0), ("f", 0.5f), ("m", 2.25m), ("b", true), ("n", null), ("s", "x"), ("c", 'z'), ("u", (byte)7));
        Assert.Equal("3|4|3.0|0.5|2.25|True|None|x|z|7", output);
    }

    [Fact]
    public void Render_ClrCollections_KeepInsertionOrderAndPythonRepr()
    {
        var dict = new Dictionary<string, object?> { ["b"] = 1, ["a"] = new[] { "x", "y" }, ["n"] = null };
        var list = new List<object?> { "it's", 1.5, false };
        Assert.Equal("{'b': 1, 'a': ['x', 'y'], 'n': None}|[\"it's\", 1.5, False]|b,a,n", Render("{{ d }}|{{ l }}|{{ d|join(',') }}", ("d", dict), ("l", list)));
    }

    [Fact]
    public void Render_JsonElementNumbers_KeepIntegerVersusFloat()
    {
        using var doc = JsonDocument.Parse("""{"i": 1, "f": 1.0, "e": 1e2, "big": 12345678901234, "arr": [1, 2.5], "o": {"k": true}}""");
        var root = doc.RootElement;
        Assert.Equal("1|1.0|100.0|12345678901234|[1, 2.5]|{'k': True}|{\"i\": 1, \"f\": 1.0}",
            Render("{{ j.i }}|{{ j.f }}|{{ j.e }}|{{ j.big }}|{{ j.arr }}|{{ j.o }}|{{ {'i': j.i, 'f': j.f}|tojson }}", ("j", root)));
    }

    [Fact]
    public void Render_JsonNode_IsConverted()
    {
        var node = JsonNode.Parse("""{"role": "user", "content": "hi"}""");
        Assert.Equal("user: hi", Render("{{ m.role }}: {{ m['content'] }}", ("m", node)));
    }

    [Fact]
    public void Render_UnsupportedClrType_ThrowsArgumentExceptionNamingType()
    {
        var ex = Assert.Throws<ArgumentException>(() => Render("{{ x }}", ("x", new DateTime(2024, 1, 1))));
        Assert.Contains("System.DateTime", ex.Message);
    }

    [Fact]
    public void Parse_BadExpression_ReportsLineAndColumn()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse("{% if x %}\n  {{ x + }}\n{% endif %}"));
        Assert.Equal(2, ex.Line);
        Assert.Equal(10, ex.Column);
        Assert.Equal("unexpected 'end of print statement'", ex.Reason);
        Assert.Contains("(line 2, column 10)", ex.Message);
    }

    [Fact]
    public void Parse_UnclosedFor_NamesTheBlockToClose()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse("{% for m in messages %}\n{{ m }}\n"));
        Assert.Contains("'endfor'", ex.Reason);
        Assert.Contains("The innermost block that needs to be closed is 'for'.", ex.Reason);
    }

    [Fact]
    public void Parse_UnsupportedTag_ExplainsWhy()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse("line\n{% include 'x.jinja' %}"));
        Assert.Equal(2, ex.Line);
        Assert.Contains("'include'", ex.Reason);
    }

    [Fact]
    public void Render_RaiseException_CarriesVerbatimMessageAndLine()
    {
        var template = ChatTemplate.Parse("ok\n{% if messages|length == 0 %}\n{{ raise_exception('No messages: ' ~ 0) }}\n{% endif %}");
        var ex = Assert.Throws<TemplateException>(() => template.Render(new Dictionary<string, object?> { ["messages"] = new List<object?>() }));
        Assert.True(ex.RaisedByTemplate);
        Assert.Equal("No messages: 0", ex.Message);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void Render_UndefinedAttributeError_IsNotRaisedByTemplate()
    {
        var ex = Assert.Throws<TemplateException>(() => Render("{{ messages[0].role }}", ("messages", new List<object?>())));
        Assert.False(ex.RaisedByTemplate);
        Assert.Equal("list object has no element 0", ex.Message);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void Render_StrftimeNow_ReadsInjectedClock()
        => Assert.Equal("15 Sep 2024 14:30", Render("{{ strftime_now('%d %b %Y %H:%M') }}"));

    [Fact]
    public void Render_SameTemplateFromManyThreads_GivesSameOutput()
    {
        var template = GoldenCases.Template("qwen3");
        var golden = GoldenCases.Get("qwen3/tools_parallel_calls");
        var vars = GoldenCases.Variables(golden.GetProperty("vars"));
        var expected = golden.GetProperty("output").GetString();
        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = template.Render(vars, FixedClock.Instance));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    public static TheoryData<string> RequiredRenderedCases()
        => [.. GoldenCases.Ids(id => !id.StartsWith("e2e/", StringComparison.Ordinal) && GoldenCases.Get(id).TryGetProperty("output", out _))];

    [Theory]
    [MemberData(nameof(RequiredRenderedCases))]
    public void Render_PlainClrMessagesInsteadOfJson_MatchesJinja2(string id)
    {
        var golden = GoldenCases.Get(id);
        var vars = (Dictionary<string, object?>)ToClr(golden.GetProperty("vars"))!;
        var actual = GoldenCases.Template(golden.GetProperty("template").GetString()!).Render(vars, FixedClock.Instance);
        Assert.Equal(golden.GetProperty("output").GetString(), actual);
    }

    private static object? ToClr(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ToClr(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Select(ToClr).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText().AsSpan().IndexOfAny(".eE") < 0 ? e.GetInt32() : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}

/// <summary><see cref="ChatTemplate.RenderChat"/> passes what HF's apply_chat_template passes.</summary>
public class RenderChatTests
{
    [Fact]
    public void RenderChat_NoTools_PassesToolsAsNoneAndOmitsNullBos()
    {
        var template = ChatTemplate.Parse("{{ tools is defined }}|{{ tools is none }}|{{ documents is none }}|{{ bos_token is defined }}|{{ eos_token }}|{{ add_generation_prompt }}|{{ enable_thinking }}");
        var messages = new List<object?> { new Dictionary<string, object?> { ["role"] = "user", ["content"] = "hi" } };
        var output = template.RenderChat(messages, addGenerationPrompt: true, eosToken: "<|im_end|>",
            extraVariables: new Dictionary<string, object?> { ["enable_thinking"] = false });
        Assert.Equal("True|True|True|False|<|im_end|>|True|False", output);
    }

    [Fact]
    public void RenderChat_Qwen3WithTools_MatchesGolden()
    {
        var golden = GoldenCases.Get("qwen3/tools_call_and_result");
        var vars = golden.GetProperty("vars");
        var output = GoldenCases.Template("qwen3").RenderChat(
            vars.GetProperty("messages"), vars.GetProperty("tools"), addGenerationPrompt: true, eosToken: "<|im_end|>", clock: FixedClock.Instance);
        Assert.Equal(golden.GetProperty("output").GetString(), output);
    }
}
