using System.Text.Json;
using LlmSuite.Engine.Templates;

namespace LlmSuite.Engine.Tests.Templates;

/// <summary>
/// Feature snippets (whitespace control, loops, scoping, macros, literals, operators, tests, filters, Python
/// methods, sandbox, undefined semantics, runtime and syntax errors) compared with Python Jinja2 3.1.6 output
/// recorded in TestData/Templates/snippets.json by scripts/templates/render_snippets.py, plus the snippets of the
/// huggingface.js Jinja test-suite (ids <c>hfjs/*</c>, each with its own variables).
/// </summary>
public class SnippetTests
{
    private static readonly Lazy<(Dictionary<string, object?> Vars, Dictionary<string, JsonElement> Cases)> Data = new(Load);

    private static (Dictionary<string, object?>, Dictionary<string, JsonElement>) Load()
    {
        var path = Path.Combine(GoldenCases.DataDir, "snippets.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement.Clone();
        var vars = GoldenCases.Variables(root.GetProperty("vars"));
        var cases = root.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c);
        return (vars, cases);
    }

    public static TheoryData<string> Ids() => [.. Data.Value.Cases.Keys];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Render_Snippet_MatchesJinja2(string id)
    {
        var c = Data.Value.Cases[id];
        var source = c.GetProperty("source").GetString()!;
        if (c.TryGetProperty("syntax_error", out var syntax))
        {
            var ex = Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse(source));
            Assert.Equal(syntax.GetString(), ex.Reason);
            Assert.Equal(c.GetProperty("lineno").GetInt32(), ex.Line);
            return;
        }

        var template = ChatTemplate.Parse(source);
        var vars = c.TryGetProperty("vars", out var own) ? GoldenCases.Variables(own) : Data.Value.Vars;
        if (c.TryGetProperty("output", out var output))
        {
            if (output.GetString() == "<parsed>")
            {
                return;
            }

            Assert.Equal(output.GetString(), template.Render(vars, FixedClock.Instance));
            return;
        }

        var err = Assert.Throws<TemplateException>(() => template.Render(vars, FixedClock.Instance));
        Assert.Equal(c.GetProperty("error").GetString(), err.Message);
        Assert.Equal(c.GetProperty("error_kind").GetString() == "raise", err.RaisedByTemplate);
    }
}
