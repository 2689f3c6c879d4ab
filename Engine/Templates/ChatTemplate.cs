using System.Collections.Concurrent;

namespace LlmSuite.Engine.Templates;

/// <summary>
/// A parsed chat template (a Jinja2 subset) that renders byte-identically to Python Jinja2 3.1 configured the way
/// Hugging Face transformers does: <c>ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)</c> with
/// the loop-controls extension, globals <c>raise_exception</c>/<c>strftime_now</c> and HF's <c>tojson</c>.
/// Instances are immutable and thread-safe; parse once and render many times.
/// </summary>
public sealed class ChatTemplate
{
    private const int CacheLimit = 64;
    private static readonly ConcurrentDictionary<string, ChatTemplate> Cache = new(StringComparer.Ordinal);

    private readonly Stmt[] _body;
    private readonly SourceMap _map;

    private ChatTemplate(string source, Stmt[] body, SourceMap map)
    {
        Source = source;
        _body = body;
        _map = map;
    }

    /// <summary>The template text as given to <see cref="Parse"/>.</summary>
    public string Source { get; }

    /// <summary>
    /// Parses <paramref name="source"/> (results are cached by source text, so re-parsing the same template is free).
    /// </summary>
    /// <exception cref="TemplateSyntaxException">The template is malformed; carries line and column.</exception>
    public static ChatTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Cache.TryGetValue(source, out var cached))
        {
            return cached;
        }

        var (body, map) = Parser.Parse(source);
        var template = new ChatTemplate(source, body, map);
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        Cache.TryAdd(source, template);
        return template;
    }

    /// <summary>
    /// Renders with the given variables (typically <c>messages</c>, <c>tools</c>, <c>add_generation_prompt</c>,
    /// <c>bos_token</c>, <c>eos_token</c> and extra kwargs such as <c>enable_thinking</c>). Values may be plain CLR
    /// values (string, bool, int, long, double, lists, string-keyed dictionaries) or <c>JsonElement</c>/<c>JsonNode</c>.
    /// <c>strftime_now</c> reads <paramref name="clock"/> (default: the system clock, local time).
    /// </summary>
    /// <exception cref="TemplateException">The template called <c>raise_exception</c> or hit a runtime error.</exception>
    public string Render(IReadOnlyDictionary<string, object?> variables, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var vars = new Dictionary<string, object?>(variables.Count, StringComparer.Ordinal);
        foreach (var kv in variables)
        {
            vars[kv.Key] = ValueConverter.Convert(kv.Value);
        }

        var interp = new Interpreter(vars, Builtins.Globals, _map, clock ?? TimeProvider.System);
        return interp.Render(_body);
    }

    /// <summary>
    /// Renders a conversation with exactly the variables Hugging Face's <c>apply_chat_template</c> passes:
    /// <c>messages</c>, <c>tools</c> (None when absent), <c>documents</c> (None), <c>add_generation_prompt</c>,
    /// the special tokens that are set (<c>bos_token</c>/<c>eos_token</c>; a null token is left undefined like a
    /// tokenizer without it), then <paramref name="extraVariables"/> (e.g. <c>enable_thinking</c>), which win on
    /// name clashes.
    /// </summary>
    /// <param name="messages">Messages as dictionaries (role, content, tool_calls, name, tool_call_id, ...) or JSON.</param>
    /// <param name="tools">Tool JSON schemas, or null.</param>
    /// <param name="addGenerationPrompt">Append the assistant turn header.</param>
    /// <param name="bosToken">The tokenizer's BOS token text, or null if it has none.</param>
    /// <param name="eosToken">The tokenizer's EOS token text, or null if it has none.</param>
    /// <param name="extraVariables">Additional template kwargs.</param>
    /// <param name="clock">Clock for <c>strftime_now</c>; default the system clock.</param>
    public string RenderChat(
        object messages,
        object? tools = null,
        bool addGenerationPrompt = false,
        string? bosToken = null,
        string? eosToken = null,
        IReadOnlyDictionary<string, object?>? extraVariables = null,
        TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var vars = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = messages,
            ["tools"] = tools,
            ["documents"] = null,
            ["add_generation_prompt"] = addGenerationPrompt,
        };
        if (bosToken is not null)
        {
            vars["bos_token"] = bosToken;
        }

        if (eosToken is not null)
        {
            vars["eos_token"] = eosToken;
        }

        if (extraVariables is not null)
        {
            foreach (var kv in extraVariables)
            {
                vars[kv.Key] = kv.Value;
            }
        }

        return Render(vars, clock);
    }
}
