using System.Text.Json;
using LlmSuite.Engine.Templates;

namespace LlmSuite.Engine.Tests.Templates;

/// <summary>
/// Seeded random expressions (operators, filters, tests over mixed-type variables) and random whitespace-control
/// templates (text, prints, comments, if/for/set/raw with random spaces, newlines, CRLF, NBSP and -/+ markers) from
/// scripts/templates/render_fuzz.py: output must equal Python Jinja2's; where Python raises, we must raise a
/// <see cref="TemplateException"/> (never crash with a .NET exception). Messages are checked in bulk: at least 98%
/// must match verbatim (known differences: Markup type names, comparison operand order inside sort).
/// </summary>
public class FuzzTests
{
    private static readonly Lazy<(Dictionary<string, object?> Vars, JsonElement[] Cases)> Data = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(GoldenCases.DataDir, "fuzz_golden.json")));
        var root = doc.RootElement.Clone();
        return (GoldenCases.Variables(root.GetProperty("vars")), root.GetProperty("cases").EnumerateArray().ToArray());
    });

    [Fact]
    public void Render_RandomExpressions_MatchJinja2OutputsAndErrors()
    {
        var (vars, cases) = Data.Value;
        var failures = new List<string>();
        int errors = 0, messageMatches = 0;
        foreach (var c in cases)
        {
            var id = c.GetProperty("id").GetString();
            var source = c.GetProperty("source").GetString()!;
            string? output = null;
            TemplateException? error = null;
            try
            {
                var caseVars = c.TryGetProperty("vars", out var own) ? GoldenCases.Variables(own) : vars;
                output = ChatTemplate.Parse(source).Render(caseVars, FixedClock.Instance);
            }
            catch (TemplateException e)
            {
                error = e;
            }
            catch (Exception e)
            {
                failures.Add($"{id}: {source} crashed with {e.GetType().Name}: {e.Message}");
                continue;
            }

            if (c.TryGetProperty("output", out var expected))
            {
                if (output != expected.GetString())
                {
                    failures.Add($"{id}: {source} => expected {expected.GetString()} got {output ?? "error " + error!.Message}");
                }

                continue;
            }

            errors++;
            if (error is null)
            {
                failures.Add($"{id}: {source} => expected error {c.GetProperty("error").GetString()} got output {output}");
            }
            else if (error.Message == c.GetProperty("error").GetString())
            {
                messageMatches++;
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(messageMatches >= errors * 0.98, $"only {messageMatches} of {errors} error messages match Jinja2");
    }
}
