using System.Text.Json;
using LlmSuite.Engine.Chat;
using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Sampling.Constraints;
using LlmSuite.Engine.Serving;
using LlmSuite.Engine.Tests.Serving;

namespace LlmSuite.Engine.Tests.Sampling.Constraints;

/// <summary>JSON mode through the real engine on the bundled model models/default.</summary>
public sealed class JsonModeEngineTests
{
    private static string DefaultModelDir([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source) ?? "." })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Suite.sln")))
                    return Path.Combine(dir.FullName, "models", "default");
            }
        }
        throw new DirectoryNotFoundException($"Suite.sln not found above {AppContext.BaseDirectory} (models/default is committed with the repository)");
    }

    private static readonly Lazy<ChatModel> Model = new(() => ChatModel.Load(DefaultModelDir()));

    [Theory]
    [InlineData(null)]
    [InlineData(1L)]
    [InlineData(42L)]
    public void Generate_JsonObjectConstraint_TextParsesAsObjectAndFinishesWithStop(long? seed)
    {
        var chat = Model.Value;
        using var engine = new LlmEngine(chat.Model, chat.Tokenizer);
        var prompt = chat.Tokenizer.Encode("<|im_start|>user\nDescribe a person as a JSON object.<|im_end|>\n<|im_start|>assistant\n");
        var sampling = seed is null
            ? new SamplingParams { Temperature = 0f, MaxTokens = 96 }
            : new SamplingParams { Temperature = 0.8f, Seed = seed, MaxTokens = 96 };
        var request = new EngineRequest { RequestId = "j", PromptTokenIds = prompt, Sampling = sampling, Constraint = OutputConstraint.JsonObject };

        var outputs = ServingFixtures.RunAll(engine, [request])["j"];

        var text = ServingFixtures.Text(outputs);
        Assert.Equal(FinishReasons.Stop, outputs[^1].FinishReason);
        Assert.True(ServingFixtures.Tokens(outputs).Length <= 96);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
    }

    [Fact]
    public void AddRequest_JsonModeWithIgnoreEos_Rejected()
    {
        var chat = Model.Value;
        using var engine = new LlmEngine(chat.Model, chat.Tokenizer);
        var request = new EngineRequest { RequestId = "j", PromptTokenIds = [1, 2], Sampling = new SamplingParams { IgnoreEos = true }, Constraint = OutputConstraint.JsonObject };

        var e = Assert.Throws<RequestRejectedException>(() => engine.AddRequest(request));
        Assert.Contains("ignore_eos", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRequest_JsonModeWithMinTokens_RejectedInsteadOfMaskingEveryToken()
    {
        var chat = Model.Value;
        using var engine = new LlmEngine(chat.Model, chat.Tokenizer);
        var request = new EngineRequest { RequestId = "m", PromptTokenIds = [1, 2], Sampling = new SamplingParams { MinTokens = 50, MaxTokens = 60 }, Constraint = OutputConstraint.JsonObject };

        var e = Assert.Throws<RequestRejectedException>(() => engine.AddRequest(request));
        Assert.Contains("min_tokens", e.Message, StringComparison.Ordinal);
    }
}
