using System.Text.Json;
using LlmSuite.Engine.Templates;

namespace LlmSuite.Engine.Tests.Templates;

/// <summary>
/// Every distinct chat template embedded in an Ollama library GGUF (95 real templates: Llama, Qwen, Mistral, Gemma,
/// Phi, DeepSeek, Granite, Command-R, ...) rendered with three standard conversations and compared with Python
/// Jinja2 3.1.6 (TestData/Templates/ollama_golden.json).
/// </summary>
public class OllamaTemplateTests
{
    private static readonly Lazy<(Dictionary<string, Dictionary<string, object?>> Conversations, Dictionary<string, JsonElement> Cases)> Data = new(Load);

    private static (Dictionary<string, Dictionary<string, object?>>, Dictionary<string, JsonElement>) Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(GoldenCases.DataDir, "ollama_golden.json")));
        var root = doc.RootElement.Clone();
        var conversations = root.GetProperty("conversations").EnumerateObject().ToDictionary(p => p.Name, p => GoldenCases.Variables(p.Value));
        var cases = root.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c);
        return (conversations, cases);
    }

    public static TheoryData<string> Ids() => [.. Data.Value.Cases.Keys];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Render_OllamaGgufTemplate_MatchesJinja2(string id)
    {
        var c = Data.Value.Cases[id];
        var template = GoldenCases.Template(c.GetProperty("template").GetString()!);
        var vars = Data.Value.Conversations[c.GetProperty("conversation").GetString()!];
        if (c.TryGetProperty("output", out var output))
        {
            Assert.Equal(output.GetString(), template.Render(vars, FixedClock.Instance));
            return;
        }

        var err = Assert.Throws<TemplateException>(() => template.Render(vars, FixedClock.Instance));
        Assert.Equal(c.GetProperty("error").GetString(), err.Message);
        Assert.Equal(c.GetProperty("error_kind").GetString() == "raise", err.RaisedByTemplate);
    }
}
