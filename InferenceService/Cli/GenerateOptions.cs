using System.Globalization;

namespace LlmSuite.InferenceService.Cli;

/// <summary>The command line of <c>InferenceService generate</c>.</summary>
internal sealed record GenerateOptions
{
    public string? Model { get; init; }

    public string Prompt { get; init; } = "";

    public string? System { get; init; }

    /// <summary>Raw completion: the prompt is tokenized as it is, without the chat template.</summary>
    public bool Raw { get; init; }

    public int MaxTokens { get; init; } = 128;

    public float Temperature { get; init; }

    public float TopP { get; init; } = 1f;

    public int TopK { get; init; }

    public long? Seed { get; init; }

    public string? Quantize { get; init; }

    public const string Usage = """
        Usage: dotnet run --project InferenceService -c Release -- generate [options] --prompt "text"

          --model PATH         model directory (Hugging Face layout) or .gguf file (default: models/default)
          --prompt TEXT        the user message (or the raw prompt with --raw)
          --system TEXT        a system message
          --raw                do not apply the chat template
          --max-tokens N       new tokens at most (default 128)
          --temperature T      0 = greedy (default 0)
          --top-p P, --top-k K sampling filters
          --seed N             reproducible sampling
          --quantize q8_0      quantize linear weights to Q8_0 at load
        """;

    public static GenerateOptions Parse(IReadOnlyList<string> args)
    {
        var o = new GenerateOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"option {name} needs a value");
            o = name switch
            {
                "--model" => o with { Model = Value() },
                "--prompt" => o with { Prompt = Value() },
                "--system" => o with { System = Value() },
                "--raw" => o with { Raw = true },
                "--max-tokens" => o with { MaxTokens = int.TryParse(Value(), out var n) && n > 0 ? n : throw new ArgumentException("--max-tokens must be a positive integer") },
                "--temperature" => o with { Temperature = ParseFloat(Value(), name) },
                "--top-p" => o with { TopP = ParseFloat(Value(), name) },
                "--top-k" => o with { TopK = int.TryParse(Value(), out var k) ? k : throw new ArgumentException("--top-k must be an integer") },
                "--seed" => o with { Seed = long.TryParse(Value(), out var s) ? s : throw new ArgumentException("--seed must be an integer") },
                "--quantize" => o with { Quantize = Value() },
                _ => throw new ArgumentException($"unknown option '{name}'"),
            };
        }
        return o.Prompt.Length == 0 ? throw new ArgumentException("--prompt is required") : o;
    }

    private static float ParseFloat(string value, string name)
        => float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : throw new ArgumentException($"{name} must be a number");
}
