using System.Diagnostics;
using LlmSuite.Engine.Chat;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Sampling;

namespace LlmSuite.InferenceService.Cli;

/// <summary>
/// <c>InferenceService generate</c>: loads a model, streams one completion to stdout and prints prefill and decode
/// speed. A single sequence, no server: the quickest way to see a model work.
/// </summary>
internal static class GenerateCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        GenerateOptions options;
        try
        {
            options = GenerateOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"generate: {e.Message}");
            error.WriteLine(GenerateOptions.Usage);
            return 2;
        }

        ChatModel chat;
        var load = Stopwatch.StartNew();
        try
        {
            chat = ChatModel.Load(options.Model ?? DefaultModel.Path(), new ModelLoadOptions { Quantize = options.Quantize });
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or FormatException)
        {
            error.WriteLine($"generate: {e.Message}");
            return 1;
        }
        using var _ = chat;
        error.WriteLine($"loaded {chat.Name} ({chat.Model.Config.Architecture}, {chat.Model.WeightBytes / 1e6:0.#} MB of weights) in {load.Elapsed.TotalSeconds:0.00} s");

        var prompt = options.Raw || chat.Template is null
            ? options.Prompt
            : ChatPrompt.Render(chat, [.. Messages(options)]);
        var promptTokens = options.Raw || chat.Template is null
            ? chat.Tokenizer.Encode(prompt, addSpecialTokens: true)
            : ChatPrompt.Tokenize(chat, prompt);
        var model = chat.Model;
        var maxNew = Math.Min(options.MaxTokens, model.MaxContext - promptTokens.Length);
        if (maxNew <= 0)
        {
            error.WriteLine($"generate: the prompt has {promptTokens.Length} tokens; the model's context is {model.MaxContext}");
            return 1;
        }

        var sampling = new SamplingParams { Temperature = options.Temperature, TopP = options.TopP, TopK = options.TopK, Seed = options.Seed, MaxTokens = maxNew };
        sampling.Validate(model.VocabSize);
        var sampler = new SequenceSampler(sampling, promptTokens, model.VocabSize, chat.StopTokenIds);
        var cache = model.CreateContiguousCache(1, promptTokens.Length + maxNew);
        var batch = new ForwardBatch(model.MaxBatchTokens, 1);
        var logits = new float[model.VocabSize]; // [1, vocab]
        var decoder = chat.Tokenizer.CreateIncrementalDecoder(skipSpecialTokens: true);

        var prefill = Stopwatch.StartNew();
        for (var start = 0; start < promptTokens.Length; start += model.MaxBatchTokens)
        {
            var chunk = promptTokens.AsSpan(start, Math.Min(model.MaxBatchTokens, promptTokens.Length - start));
            batch.Clear();
            batch.Add(0, chunk, start);
            model.Forward(batch, cache, logits);
        }
        prefill.Stop();

        var decode = Stopwatch.StartNew();
        var generated = 0;
        var finish = "length";
        Span<int> one = stackalloc int[1];
        while (generated < maxNew)
        {
            var token = sampler.Sample(logits).TokenId;
            generated++;
            if (chat.StopTokenIds.Contains(token))
            {
                finish = "stop";
                break;
            }
            output.Write(decoder.Append(token));
            output.Flush();
            if (generated == maxNew)
            {
                break;
            }
            one[0] = token;
            batch.Clear();
            batch.Add(0, one, promptTokens.Length + generated - 1);
            model.Forward(batch, cache, logits);
        }
        output.WriteLine(decoder.Flush());
        decode.Stop();

        error.WriteLine(
            $"prompt {promptTokens.Length} tokens in {prefill.Elapsed.TotalSeconds:0.000} s ({promptTokens.Length / prefill.Elapsed.TotalSeconds:0.0} tok/s); " +
            $"generated {generated} tokens in {decode.Elapsed.TotalSeconds:0.000} s ({generated / decode.Elapsed.TotalSeconds:0.0} tok/s); finish: {finish}");
        return 0;
    }

    private static IEnumerable<ChatMessage> Messages(GenerateOptions options)
    {
        if (options.System is not null)
        {
            yield return new ChatMessage("system", options.System);
        }
        yield return new ChatMessage("user", options.Prompt);
    }
}
