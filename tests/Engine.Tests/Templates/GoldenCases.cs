using System.Text.Json;
using LlmSuite.Engine.Templates;

namespace LlmSuite.Engine.Tests.Templates;

/// <summary>Loads the golden cases rendered by scripts/templates/render_golden.py (Python Jinja2 3.1.6).</summary>
internal static class GoldenCases
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(Load);

    public static string DataDir => Path.Combine(AppContext.BaseDirectory, "TestData", "Templates");

    private static Dictionary<string, JsonElement> Load()
    {
        var path = Path.Combine(DataDir, "golden.json");
        Assert.True(File.Exists(path), $"Missing {path}; regenerate with scripts/templates/render_golden.py.");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.Clone());
    }

    public static IEnumerable<string> Ids(Func<string, bool> predicate) => Cases.Value.Keys.Where(predicate);

    public static JsonElement Get(string id) => Cases.Value[id];

    public static ChatTemplate Template(string name)
        => ChatTemplate.Parse(File.ReadAllText(Path.Combine(DataDir, "templates", name + ".jinja")));

    public static Dictionary<string, object?> Variables(JsonElement vars)
        => vars.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
}

/// <summary>The fixed clock the golden script uses for <c>strftime_now</c>: 2024-09-15 14:30:05 (UTC as local).</summary>
internal sealed class FixedClock : TimeProvider
{
    public static readonly FixedClock Instance = new();

    public override DateTimeOffset GetUtcNow() => new(2024, 9, 15, 14, 30, 5, TimeSpan.Zero);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
