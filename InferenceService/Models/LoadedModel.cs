using LlmSuite.Engine.Chat;
using LlmSuite.Engine.Serving;
using LlmSuite.InferenceService.Admission;

namespace LlmSuite.InferenceService.Models;

/// <summary>A model in memory: weights, tokenizer and template (<see cref="Chat"/>), its engine running on its own thread, and its admission gate.</summary>
public sealed class LoadedModel : IDisposable
{
    private readonly TimeProvider _time;
    private int _active;
    private long _lastUsedTicks;
    private long _expiresAtTicks;

    internal LoadedModel(ModelEntry entry, ChatModel chat, LlmEngine engine, AdmissionController admission, TimeSpan keepAlive, TimeProvider time)
    {
        Entry = entry;
        Chat = chat;
        Engine = engine;
        Host = new EngineHost(engine);
        Admission = admission;
        _time = time;
        LoadedAt = time.GetUtcNow();
        Touch(keepAlive);
    }

    /// <summary>What was loaded.</summary>
    public ModelEntry Entry { get; }

    /// <summary>Model, tokenizer, chat template and stop tokens.</summary>
    public ChatModel Chat { get; }

    /// <summary>The continuous-batching engine (touch only through <see cref="Host"/>).</summary>
    public LlmEngine Engine { get; }

    /// <summary>The engine's thread and async API.</summary>
    public EngineHost Host { get; }

    /// <summary>Queue limit and Retry-After estimate.</summary>
    public AdmissionController Admission { get; }

    /// <summary>When the load finished.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Requests using the model now.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Last request start or end.</summary>
    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    /// <summary>When the idle model unloads (<see cref="DateTimeOffset.MaxValue"/> = never).</summary>
    public DateTimeOffset ExpiresAt => new(Interlocked.Read(ref _expiresAtTicks), TimeSpan.Zero);

    /// <summary>Bytes of weights plus KV cache.</summary>
    public long MemoryBytes => Chat.Model.WeightBytes + Engine.Cache.Bytes;

    /// <summary>The model's context length.</summary>
    public int MaxContext => Chat.Model.MaxContext;

    /// <summary>Marks the model used now and sets when it expires (negative = never, zero = as soon as idle).</summary>
    public void Touch(TimeSpan keepAlive)
    {
        var now = _time.GetUtcNow();
        Interlocked.Exchange(ref _lastUsedTicks, now.UtcTicks);
        var expires = keepAlive < TimeSpan.Zero || Entry.IsDefault ? DateTimeOffset.MaxValue
            : keepAlive >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + keepAlive;
        Interlocked.Exchange(ref _expiresAtTicks, expires.UtcTicks);
    }

    internal void Enter() => Interlocked.Increment(ref _active);

    internal void Exit(TimeSpan keepAlive)
    {
        Interlocked.Decrement(ref _active);
        Touch(keepAlive);
    }

    /// <summary>Stops the engine thread and frees weights and cache.</summary>
    public void Dispose()
    {
        Host.Dispose();
        Engine.Dispose();
        Chat.Dispose();
    }
}
