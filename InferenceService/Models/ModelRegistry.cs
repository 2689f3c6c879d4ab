using System.Collections.Concurrent;
using System.Diagnostics;
using LlmSuite.Engine.Chat;
using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Serving;
using LlmSuite.InferenceService.Admission;
using LlmSuite.InferenceService.Cli;
using Microsoft.Extensions.Options;

namespace LlmSuite.InferenceService.Models;

/// <summary>
/// Every servable model (the default plus the models directory) and the loaded ones: loads on first use (one load per
/// model even under concurrent requests), unloads idle models after their keep-alive or when the RAM budget is
/// exceeded (least recently used first). The default model is never unloaded.
/// </summary>
public sealed partial class ModelRegistry : IDisposable
{
    private readonly InferenceOptions _options;
    private readonly ILogger<ModelRegistry> _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lazy<Task<LoadedModel>>> _loaded = new(StringComparer.Ordinal);
    private readonly object _evictGate = new();
    private (long Timestamp, IReadOnlyList<ModelEntry> Entries)? _scan;

    /// <summary>Resolves the default model from the options (or the bundled models/default).</summary>
    public ModelRegistry(IOptions<InferenceOptions> options, ILogger<ModelRegistry> logger, TimeProvider time)
    {
        _options = options.Value;
        _logger = logger;
        _time = time;
        KvCacheDTypes.Parse(_options.KvCacheDType, $"{InferenceOptions.Section}:{nameof(InferenceOptions.KvCacheDType)}");   // a typo fails at startup, not at first load
        var path = _options.Model ?? TryBundledDefault();
        Default = path is null ? null : ModelCatalog.Describe(path, isDefault: true);
    }

    /// <summary>The default model (used when a request names none), or null when none is configured or bundled.</summary>
    public ModelEntry? Default { get; }

    /// <summary>The loaded models.</summary>
    public IReadOnlyList<LoadedModel> Loaded =>
        [.. _loaded.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully).Select(l => l.Value.Result)];

    /// <summary>Whether the default model is loaded (readiness).</summary>
    public bool DefaultLoaded => Default is not null && Loaded.Any(m => m.Entry.IsDefault);

    /// <summary>The default model and every model of the models directory (names unique, the default first); rescanned at most once a second.</summary>
    public IReadOnlyList<ModelEntry> List()
    {
        if (_scan is { } cached && _time.GetElapsedTime(cached.Timestamp) < TimeSpan.FromSeconds(1))
        {
            return cached.Entries;
        }
        var entries = Scan();
        _scan = (_time.GetTimestamp(), entries);
        return entries;
    }

    private List<ModelEntry> Scan()
    {
        var result = new List<ModelEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (Default is not null && names.Add(Default.Name))
        {
            result.Add(Default);
        }
        if (_options.ModelsDir is { Length: > 0 } dir)
        {
            foreach (var entry in ModelCatalog.Scan(dir))
            {
                if (names.Add(entry.Name) && !string.Equals(entry.Path, Default?.Path, StringComparison.Ordinal))
                {
                    result.Add(entry);
                }
            }
        }
        return result;
    }

    /// <summary>The model a request names: null or empty = the default; "name" and "name:latest" are the same model.</summary>
    public ModelEntry? Find(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return Default;
        }
        var all = List();
        return all.FirstOrDefault(e => e.Name == name)
            ?? (name.EndsWith(":latest", StringComparison.Ordinal) ? all.FirstOrDefault(e => e.Name == name[..^7]) : null)
            ?? all.FirstOrDefault(e => e.Name == name + ":latest");
    }

    /// <summary>The loaded model of <paramref name="entry"/>, loading it first when needed (off the caller's thread).</summary>
    public Task<LoadedModel> GetOrLoadAsync(ModelEntry entry)
    {
        var lazy = _loaded.GetOrAdd(entry.Name, _ => new Lazy<Task<LoadedModel>>(() => Task.Run(() => Load(entry))));
        var task = lazy.Value;
        if (task.IsFaulted)
        {
            _loaded.TryRemove(new KeyValuePair<string, Lazy<Task<LoadedModel>>>(entry.Name, lazy));
        }
        return task;
    }

    /// <summary>The loaded model of that name, or null.</summary>
    public LoadedModel? FindLoaded(string name) => Loaded.FirstOrDefault(m => m.Entry.Name == name);

    /// <summary>Unloads idle models whose keep-alive expired. Returns how many were unloaded.</summary>
    public int UnloadExpired()
    {
        var now = _time.GetUtcNow();
        var count = 0;
        foreach (var model in Loaded)
        {
            if (!model.Entry.IsDefault && model.Active == 0 && now >= model.ExpiresAt && Unload(model))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Unloads a model now if it is idle (Ollama keep_alive 0). False when busy, default or not loaded.</summary>
    public bool Unload(LoadedModel model)
    {
        if (model.Entry.IsDefault || model.Active > 0)
        {
            return false;
        }
        if (_loaded.TryGetValue(model.Entry.Name, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully
            && ReferenceEquals(lazy.Value.Result, model) && _loaded.TryRemove(new KeyValuePair<string, Lazy<Task<LoadedModel>>>(model.Entry.Name, lazy)))
        {
            Log.Unloaded(_logger, model.Entry.Name);
            model.Dispose();
            return true;
        }
        return false;
    }

    /// <summary>Unloads every model.</summary>
    public void Dispose()
    {
        foreach (var lazy in _loaded.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }
        _loaded.Clear();
    }

    private LoadedModel Load(ModelEntry entry)
    {
        Log.Loading(_logger, entry.Name, entry.Path, entry.SizeBytes / 1e6);
        var watch = Stopwatch.StartNew();
        MakeRoom(entry.SizeBytes + _options.KvCacheBytes);
        var chat = ChatModel.Load(entry.Path, new ModelLoadOptions { Quantize = _options.Quantize, MaxBatchTokens = _options.MaxBatchTokens }, entry.Name);
        try
        {
            var engine = new LlmEngine(chat.Model, chat.Tokenizer, new EngineOptions
            {
                ModelName = entry.Name,
                KvCacheMemoryBytes = _options.KvCacheBytes,
                NumBlocks = _options.KvCacheBlocks,
                KvCacheDType = _options.KvCacheDType,
                MaxNumSeqs = Math.Min(_options.MaxNumSeqs, chat.Model.MaxBatchTokens),
                MaxNumBatchedTokens = chat.Model.MaxBatchTokens,
                TimeProvider = _time,
            });
            var admission = new AdmissionController(engine.Options.MaxNumSeqs, _options.MaxQueuedRequests, _time);
            var model = new LoadedModel(entry, chat, engine, admission, _options.KeepAlive, _time);
            Log.Loaded(_logger, entry.Name, watch.Elapsed.TotalSeconds, chat.Model.WeightBytes / 1e6, engine.Describe());
            return model;
        }
        catch
        {
            chat.Dispose();
            throw;
        }
    }

    // Unloads idle non-default models, least recently used first, until `bytes` more fit in the RAM budget.
    private void MakeRoom(long bytes)
    {
        if (_options.RamBudgetBytes <= 0)
        {
            return;
        }
        lock (_evictGate)
        {
            foreach (var model in Loaded.Where(m => !m.Entry.IsDefault).OrderBy(m => m.LastUsed))
            {
                if (Loaded.Sum(m => m.MemoryBytes) + bytes <= _options.RamBudgetBytes)
                {
                    return;
                }
                Unload(model);
            }
        }
    }

    private static string? TryBundledDefault()
    {
        try
        {
            return DefaultModel.Path();
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Loading model {Name} from {Path} ({Megabytes:F1} MB)")]
        public static partial void Loading(ILogger logger, string name, string path, double megabytes);

        [LoggerMessage(2, LogLevel.Information, "Loaded model {Name} in {Seconds:F2} s ({Megabytes:F1} MB of weights); {Engine}")]
        public static partial void Loaded(ILogger logger, string name, double seconds, double megabytes, string engine);

        [LoggerMessage(3, LogLevel.Information, "Unloaded model {Name}")]
        public static partial void Unloaded(ILogger logger, string name);
    }
}
