using LlmSuite.Engine.Templates;

namespace LlmSuite.Engine.Tests.Templates;

/// <summary>
/// Renders every (template, conversation) case and the huggingface.js e2e examples and compares byte-for-byte with
/// the outputs Python Jinja2 3.1.6 produced under Hugging Face's settings (TestData/Templates/golden.json).
/// </summary>
public class GoldenTests
{
    public static TheoryData<string> RequiredCases() => [.. GoldenCases.Ids(id => !id.StartsWith("e2e/", StringComparison.Ordinal))];

    public static TheoryData<string> E2eCases() => [.. GoldenCases.Ids(id => id.StartsWith("e2e/", StringComparison.Ordinal))];

    [Theory]
    [MemberData(nameof(RequiredCases))]
    public void Render_ChatTemplateConversation_MatchesJinja2(string id) => Check(id);

    [Theory]
    [MemberData(nameof(E2eCases))]
    public void Render_HubTemplateExample_MatchesJinja2(string id) => Check(id);

    private static void Check(string id)
    {
        var golden = GoldenCases.Get(id);
        var template = GoldenCases.Template(golden.GetProperty("template").GetString()!);
        var vars = GoldenCases.Variables(golden.GetProperty("vars"));
        if (golden.TryGetProperty("output", out var output))
        {
            var actual = template.Render(vars, FixedClock.Instance);
            Assert.Equal(output.GetString(), actual);
            return;
        }

        var kind = golden.GetProperty("error_kind").GetString();
        var expected = golden.GetProperty("error").GetString();
        var ex = Assert.Throws<TemplateException>(() => template.Render(vars, FixedClock.Instance));
        if (kind == "raise")
        {
            Assert.True(ex.RaisedByTemplate, $"expected raise_exception, got: {ex.Message}");
            Assert.Equal(expected, ex.Message);
        }
        else
        {
            Assert.False(ex.RaisedByTemplate);
            Assert.Equal(expected, ex.Message);
        }
    }
}
