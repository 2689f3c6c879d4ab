using LlmSuite.Engine.KvCache;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Sampling.Constraints;
using LlmSuite.Engine.Scheduling;
using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Serving;

/// <summary>
/// The serving core, single-threaded: <see cref="Step"/> = Schedule (<see cref="Scheduling.Scheduler"/>) → Run (one
/// forward pass over the paged cache for every scheduled token) → Postprocess (sample, detokenize, stop checks, free
/// finished sequences). <see cref="EngineHost"/> runs it on a dedicated thread behind an async API.
/// </summary>
public sealed partial class LlmEngine : IDisposable
{
    private readonly ModelRunner _runner;
    private readonly Dictionary<string, RequestState> _requests = new(StringComparer.Ordinal);
    private readonly List<RequestOutput> _outputs = new();
    private readonly List<RequestOutput> _pendingAborts = new();
    private readonly HashSet<int> _eos;
    private readonly float[] _forkScratch;   // [vocab]
    private readonly TimeProvider _time;
    private long _nextSequenceId, _nextArrival;
    private long _reportedQueries, _reportedHits, _reportedPreemptions;

    /// <summary>Builds the engine: sizes the paged KV cache from the options and allocates it.</summary>
    public LlmEngine(TransformerModel model, Tokenizer? tokenizer, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ??= new EngineOptions();
        Model = model;
        Tokenizer = tokenizer;
        _time = options.TimeProvider;
        ModelConfigView c = new(model);
        int maxTokens = options.MaxNumBatchedTokens ?? model.MaxBatchTokens;
        if (maxTokens > model.MaxBatchTokens)
        {
            throw new ArgumentException($"MaxNumBatchedTokens {maxTokens} exceeds the model's MaxBatchTokens {model.MaxBatchTokens}; load the model with ModelLoadOptions.MaxBatchTokens >= {maxTokens}", nameof(options));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxNumSeqs);
        int maxSeqs = Math.Min(options.MaxNumSeqs, maxTokens);   // every running sequence needs a token per step
        KvCacheDType dtype = KvCacheDTypes.Resolve(options.KvCacheDType, model, nameof(EngineOptions.KvCacheDType));
        long blockBytes = PagedKvCache.BytesPerBlock(c.Layers, options.BlockSize, c.KvHeads, c.HeadDim, dtype);
        long budget = options.KvCacheMemoryBytes ?? (long)(PagedKvCache.AvailableMemoryBytes() * options.KvCacheMemoryFraction);
        int blocks = options.NumBlocks ?? PagedKvCache.BlocksForBudget(budget, c.Layers, options.BlockSize, c.KvHeads, c.HeadDim, dtype);
        if (blocks < 1)
        {
            throw new ArgumentException($"the KV cache budget of {budget} bytes holds no block of {blockBytes} bytes ({options.BlockSize} tokens); raise --kv-cache-memory", nameof(options));
        }
        Cache = new PagedKvCache(c.Layers, blocks, options.BlockSize, c.KvHeads, c.HeadDim, maxSeqs, dtype);
        Hasher = new BlockHasher(options.BlockSize, options.HashSeed);
        BlockManager = new BlockManager(blocks, Hasher, options.EnablePrefixCaching);
        Scheduler = new Scheduler(new SchedulerOptions
        {
            MaxNumBatchedTokens = maxTokens,
            MaxNumSeqs = maxSeqs,
            EnableChunkedPrefill = options.EnableChunkedPrefill,
        }, BlockManager);
        _runner = new ModelRunner(model, Cache, maxTokens, maxSeqs);
        _eos = new HashSet<int>(model.EosTokenIds);
        _forkScratch = new float[model.VocabSize];
        Metrics = new EngineMetrics(options.ModelName);
    }

    /// <summary>Options in effect.</summary>
    public EngineOptions Options { get; }

    /// <summary>The model.</summary>
    public TransformerModel Model { get; }

    /// <summary>Detokenizer for text deltas and stop strings (null: token ids only).</summary>
    public Tokenizer? Tokenizer { get; }

    /// <summary>The tensor pool.</summary>
    public PagedKvCache Cache { get; }

    /// <summary>Block hash definition (block size and seed), for the gateway.</summary>
    public BlockHasher Hasher { get; }

    /// <summary>Block bookkeeping (counters for usage and prefix cache).</summary>
    public BlockManager BlockManager { get; }

    /// <summary>The scheduler.</summary>
    public Scheduler Scheduler { get; }

    /// <summary>Instruments.</summary>
    public EngineMetrics Metrics { get; }

    /// <summary>Longest prompt the engine accepts: the context minus one generated token, and at most the whole cache.</summary>
    public int MaxPromptTokens => (int)Math.Min(Model.MaxContext - 1, Cache.Tokens);

    /// <summary>Requests not yet finished.</summary>
    public int UnfinishedRequests => _requests.Count;

    /// <summary>Whether <see cref="Step"/> has anything to do.</summary>
    public bool HasWork => _requests.Count > 0 || _pendingAborts.Count > 0;

    /// <summary>One line for the startup log: the cache in blocks, tokens and bytes.</summary>
    public string Describe() =>
        $"KV cache: {Cache.NumBlocks} blocks x {Cache.BlockSize} tokens = {Cache.Tokens} tokens, {Cache.Bytes / (1024.0 * 1024.0):F1} MiB {Cache.DType.Name()}; " +
        $"max {Scheduler.Options.MaxNumSeqs} sequences, {Scheduler.Options.MaxNumBatchedTokens} tokens per step; context {Model.MaxContext}";

    /// <summary>
    /// Checks a request without touching engine state (thread-safe): prompt within the vocabulary, the context and the
    /// whole cache; valid sampling parameters. Throws <see cref="RequestRejectedException"/> with the numbers.
    /// </summary>
    public void Validate(EngineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.RequestId))
        {
            throw new RequestRejectedException("the request id is empty");
        }
        int n = request.PromptTokenIds?.Count ?? 0;
        if (n == 0)
        {
            throw new RequestRejectedException($"request {request.RequestId}: the prompt is empty");
        }
        if (n >= Model.MaxContext)
        {
            throw new RequestRejectedException($"request {request.RequestId}: the prompt has {n} tokens but the model's context is {Model.MaxContext} tokens (at most {Model.MaxContext - 1} prompt tokens leave room for one generated token)");
        }
        if (n > Cache.Tokens)
        {
            throw new RequestRejectedException($"request {request.RequestId}: the prompt has {n} tokens but the whole KV cache holds {Cache.Tokens} tokens ({Cache.NumBlocks} blocks of {Cache.BlockSize}); raise --kv-cache-memory");
        }
        for (int i = 0; i < n; i++)
        {
            int t = request.PromptTokenIds![i];
            if ((uint)t >= (uint)Model.VocabSize)
            {
                throw new RequestRejectedException($"request {request.RequestId}: prompt token {t} at index {i} is outside the vocabulary [0, {Model.VocabSize})");
            }
        }
        try
        {
            request.Sampling.Validate(Model.VocabSize);
        }
        catch (SamplingParamsException e)
        {
            throw new RequestRejectedException($"request {request.RequestId}: {e.Message}");
        }
        if (request.Sampling.Stop.Count > 0 && Tokenizer is null)
        {
            throw new RequestRejectedException($"request {request.RequestId}: stop strings need a tokenizer, and this engine has none");
        }
        if (request.Constraint == OutputConstraint.JsonObject)
        {
            if (Tokenizer is null)
                throw new RequestRejectedException($"request {request.RequestId}: JSON mode needs a tokenizer, and this engine has none");
            if (request.Sampling.IgnoreEos)
                throw new RequestRejectedException($"request {request.RequestId}: JSON mode ends the output with EOS after the object; it cannot be combined with ignore_eos");
            if (request.Sampling.MinTokens > 0)
                throw new RequestRejectedException($"request {request.RequestId}: JSON mode ends the output when the object closes; it cannot be combined with min_tokens");
            if (!_eos.Any(id => (uint)id < (uint)Model.VocabSize))
                throw new RequestRejectedException($"request {request.RequestId}: JSON mode needs an EOS token, and this model has none");
        }
        else if (request.Constraint != OutputConstraint.None)
        {
            throw new RequestRejectedException($"request {request.RequestId}: unknown output constraint {request.Constraint}");
        }
        if (request.Sampling.N > Scheduler.Options.MaxNumSeqs)
        {
            throw new RequestRejectedException($"request {request.RequestId}: n = {request.Sampling.N} exceeds max-num-seqs {Scheduler.Options.MaxNumSeqs}");
        }
    }

    /// <summary>Queues a request (validated first). Throws on a duplicate id.</summary>
    public void AddRequest(EngineRequest request)
    {
        Validate(request);
        if (_requests.ContainsKey(request.RequestId))
        {
            throw new RequestRejectedException($"request id {request.RequestId} is already in use");
        }
        int[] prompt = [.. request.PromptTokenIds];
        var state = new RequestState(request, prompt, _time.GetTimestamp(), _nextArrival++);
        SamplingParams p = request.Sampling;
        var samples = new SampleState[p.N];
        for (int i = 0; i < samples.Length; i++)
        {
            long? seed = p.Seed is long s && i > 0 ? s + i : null;
            ITokenConstraint? constraint = request.Constraint == OutputConstraint.JsonObject
                ? new JsonObjectConstraint(TokenByteTable.For(Tokenizer!, Model.VocabSize), _eos.Concat(p.StopTokenIds),
                    Math.Max(1, Math.Min(p.MaxTokens ?? int.MaxValue, Model.MaxContext - prompt.Length)))
                : null;
            samples[i] = new SampleState(state, i, new SequenceSampler(p, prompt, Model.VocabSize, _eos, seed, constraint), Tokenizer);
        }
        state.Samples = samples;
        var seq = new Sequence(_nextSequenceId++, prompt, Hasher.Root(request.CacheSalt), request.Priority, state.Arrival) { Tag = samples[0] };
        samples[0].Sequence = seq;
        _requests.Add(request.RequestId, state);
        Scheduler.Add(seq);
        PublishState();
    }

    /// <summary>
    /// Aborts a request: every sequence is removed and its blocks freed now; a final "abort" delta is returned by the
    /// next <see cref="Step"/>. Returns false for an unknown (or already finished) id.
    /// </summary>
    public bool Abort(string requestId)
    {
        if (!_requests.TryGetValue(requestId, out RequestState? state))
        {
            return false;
        }
        foreach (SampleState s in state.Samples)
        {
            if (!s.Finished)
            {
                if (s.Sequence is not null)
                {
                    Scheduler.Finish(s.Sequence);
                }
                s.FinishReason = FinishReasons.Abort;
                _pendingAborts.Add(new RequestOutput { RequestId = requestId, Index = s.Index, FinishReason = FinishReasons.Abort, Usage = state.Usage });
            }
        }
        if (_pendingAborts.Count > 0 && _pendingAborts[^1].RequestId == requestId)
        {
            _pendingAborts[^1] = _pendingAborts[^1] with { Finished = true };
        }
        CompleteRequest(state, FinishReasons.Abort);
        PublishState();
        return true;
    }

    /// <summary>Runs one iteration and returns the deltas it produced (valid until the next call).</summary>
    public IReadOnlyList<RequestOutput> Step()
    {
        _outputs.Clear();
        _outputs.AddRange(_pendingAborts);
        _pendingAborts.Clear();
        IReadOnlyList<ScheduledSequence> scheduled = Scheduler.Schedule();
        if (scheduled.Count > 0)
        {
            Span<float> logits = _runner.Run(scheduled);
            Scheduler.Commit(scheduled);
            Postprocess(scheduled, logits);
        }
        PublishState();
        return _outputs;
    }

    /// <summary>Frees the metrics.</summary>
    public void Dispose() => Metrics.Dispose();

    private readonly struct ModelConfigView(TransformerModel m)
    {
        public int Layers => m.Config.NumLayers;
        public int KvHeads => m.Config.NumKvHeads;
        public int HeadDim => m.Config.HeadDim;
    }
}
