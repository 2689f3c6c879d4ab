using LlmSuite.Engine.Sampling;
using LlmSuite.Engine.Scheduling;

namespace LlmSuite.Engine.Serving;

/// <summary>Postprocess: sampling, n &gt; 1 forks, detokenization, stop checks, finishing, metrics.</summary>
public sealed partial class LlmEngine
{
    private void Postprocess(IReadOnlyList<ScheduledSequence> scheduled, Span<float> logits /*[scheduled, vocab]*/)
    {
        int V = Model.VocabSize;
        long now = _time.GetTimestamp();
        for (int i = 0; i < scheduled.Count; i++)
        {
            ScheduledSequence s = scheduled[i];
            Sequence seq = s.Sequence;
            if (!s.Samples || seq.Status != SequenceStatus.Running)
            {
                continue;   // a prefill chunk that is not the last one
            }
            var sample = (SampleState)seq.Tag!;
            RequestState state = sample.Request;
            Span<float> row = logits.Slice(i * V, V);
            if (!state.Forked && state.Samples.Length > 1 && sample.Index == 0 && seq.OutputLength == 0)
            {
                // n > 1: every sample draws its first token from the prompt's logits and shares the prompt's blocks
                state.Forked = true;
                for (int k = 1; k < state.Samples.Length; k++)
                {
                    row.CopyTo(_forkScratch);
                    SampleState child = state.Samples[k];
                    SampledToken first = child.Sampler.Sample(_forkScratch);
                    int[] tokens = [.. state.Prompt, first.TokenId];
                    var childSeq = new Sequence(_nextSequenceId++, tokens, seq.Blocks.RootHash, seq.Priority, seq.Arrival, state.Prompt.Length) { Tag = child };
                    child.Sequence = childSeq;
                    Scheduler.Fork(seq, childSeq);
                    Accept(child, childSeq, first, now);
                }
            }
            SampledToken token = sample.Sampler.Sample(row);
            seq.Append(token.TokenId);
            Accept(sample, seq, token, now);
        }
    }

    /// <summary>Records a token that was appended to <paramref name="seq"/>: text, stop checks, output delta.</summary>
    private void Accept(SampleState sample, Sequence seq, SampledToken token, long now)
    {
        RequestState state = sample.Request;
        SamplingParams p = state.Request.Sampling;
        state.CompletionTokens++;
        Metrics.GenerationTokens(1);
        if (!state.FirstTokenSeen)
        {
            state.FirstTokenSeen = true;
            Metrics.TimeToFirstToken(_time.GetElapsedTime(state.ArrivalTimestamp, now).TotalSeconds);
            Metrics.PromptTokens(state.Prompt.Length);
        }
        else if (sample.LastTokenTimestamp != 0)
        {
            Metrics.InterTokenLatency(_time.GetElapsedTime(sample.LastTokenTimestamp, now).TotalSeconds);
        }
        sample.LastTokenTimestamp = now;

        int id = token.TokenId;
        bool matchStops = seq.OutputLength > p.MinTokens;   // vLLM: stop strings apply once the output exceeds min_tokens
        string text = "";
        string? finish = null;
        object? stopReason = null;
        if (Contains(p.StopTokenIds, id))
        {
            finish = FinishReasons.Stop;
            stopReason = id;
        }
        else if (!p.IgnoreEos && _eos.Contains(id))
        {
            finish = FinishReasons.Stop;
        }
        else
        {
            string delta = sample.Decoder?.Append(id) ?? "";
            if (sample.Matcher is null)
            {
                text = delta;
            }
            else
            {
                StopMatch m = sample.Matcher.Push(delta, matchStops);
                text = m.Emit;
                if (m.Stopped)
                {
                    finish = FinishReasons.Stop;
                    stopReason = m.MatchedStop;
                }
            }
        }
        if (finish is null && ((p.MaxTokens is int max && seq.OutputLength >= max)
            || seq.Length >= Model.MaxContext
            || BlockManager.BlocksFor(seq.Length) > BlockManager.NumBlocks))
        {
            finish = FinishReasons.Length;
        }
        if (finish is not null && stopReason is not string)
        {
            // ended without a stop string: release the bytes and text held back so far
            string tail = sample.Decoder?.Flush() ?? "";
            if (sample.Matcher is null)
            {
                text += tail;
            }
            else
            {
                StopMatch m = sample.Matcher.Push(tail, matchStops);
                text += m.Emit;
                text += m.Stopped ? "" : sample.Matcher.Flush();
            }
        }
        if (finish is not null)
        {
            sample.FinishReason = finish;
            sample.StopReason = stopReason;
            Scheduler.Finish(seq);
        }
        bool done = finish is not null && state.AllFinished;
        _outputs.Add(new RequestOutput
        {
            RequestId = state.Request.RequestId,
            Index = sample.Index,
            TokenIds = [id],
            Text = text,
            Logprobs = p.Logprobs is null ? null : [token],
            FinishReason = finish,
            StopReason = stopReason,
            Finished = done,
            Usage = state.Usage,
        });
        if (done)
        {
            CompleteRequest(state, finish!);
        }
    }

    private void CompleteRequest(RequestState state, string reason)
    {
        _requests.Remove(state.Request.RequestId);
        Metrics.RequestFinished(reason, _time.GetElapsedTime(state.ArrivalTimestamp, _time.GetTimestamp()).TotalSeconds);
    }

    private void PublishState()
    {
        Metrics.SetState(Scheduler.Running.Count, Scheduler.Waiting.Count, BlockManager.Usage);
        Metrics.PrefixCache(BlockManager.PrefixCacheQueries - _reportedQueries, BlockManager.PrefixCacheHits - _reportedHits);
        Metrics.Preemptions(Scheduler.NumPreemptions - _reportedPreemptions);
        _reportedQueries = BlockManager.PrefixCacheQueries;
        _reportedHits = BlockManager.PrefixCacheHits;
        _reportedPreemptions = Scheduler.NumPreemptions;
    }

    private static bool Contains(IReadOnlyList<int> list, int value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return true;
            }
        }
        return false;
    }
}
