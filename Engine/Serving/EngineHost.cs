using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace LlmSuite.Engine.Serving;

/// <summary>
/// Runs an <see cref="LlmEngine"/> on a dedicated thread and offers the async API the services use: submit a request
/// and read its stream of deltas; abort by request id or by cancelling the token (the sequence is removed and its
/// blocks freed at the start of the next step). All engine calls happen on the engine thread.
/// </summary>
public sealed class EngineHost : IDisposable
{
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly ConcurrentDictionary<string, Channel<RequestOutput>> _streams = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private volatile bool _stopping;

    /// <summary>Starts the engine thread.</summary>
    public EngineHost(LlmEngine engine)
    {
        Engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _thread = new Thread(Loop) { IsBackground = true, Name = "llm-engine" };
        _thread.Start();
    }

    /// <summary>The engine (touch it only through this host while the host runs).</summary>
    public LlmEngine Engine { get; }

    /// <summary>Steps run so far.</summary>
    public long Steps { get; private set; }

    /// <summary>
    /// Submits a request. Throws <see cref="RequestRejectedException"/> at once for a request the engine can never serve
    /// (with the numbers) or a request id already in flight. Cancelling <paramref name="cancellationToken"/> aborts it.
    /// The channel completes after the delta with <see cref="RequestOutput.Finished"/>.
    /// </summary>
    public ChannelReader<RequestOutput> Submit(EngineRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        Engine.Validate(request);
        var channel = Channel.CreateUnbounded<RequestOutput>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        if (!_streams.TryAdd(request.RequestId, channel))
        {
            throw new RequestRejectedException($"request id {request.RequestId} is already in flight");
        }
        Post(() =>
        {
            try
            {
                Engine.AddRequest(request);
            }
            catch (Exception e)
            {
                _streams.TryRemove(request.RequestId, out _);
                channel.Writer.TryComplete(e);
            }
        });
        if (cancellationToken.CanBeCanceled)
        {
            CancellationTokenRegistration registration = cancellationToken.Register(() => Abort(request.RequestId));
            _ = channel.Reader.Completion.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return channel.Reader;
    }

    /// <summary>
    /// Submits a request and streams its deltas. Cancelling, or leaving the enumeration early, aborts the request.
    /// Validation errors are thrown here, before enumeration starts.
    /// </summary>
    public IAsyncEnumerable<RequestOutput> StreamAsync(EngineRequest request, CancellationToken cancellationToken = default)
    {
        ChannelReader<RequestOutput> reader = Submit(request, cancellationToken);
        return Read(reader, request.RequestId, cancellationToken);
    }

    /// <summary>Aborts a request (no-op when unknown or finished); its final delta has finish reason "abort".</summary>
    public void Abort(string requestId)
    {
        if (!_stopping)
        {
            Post(() => Engine.Abort(requestId));
        }
    }

    /// <summary>Stops the engine thread; open streams fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        _wake.Release();
        _thread.Join();
        foreach (var (_, channel) in _streams)
        {
            channel.Writer.TryComplete(new ObjectDisposedException(nameof(EngineHost)));
        }
        _streams.Clear();
        _wake.Dispose();
    }

    private async IAsyncEnumerable<RequestOutput> Read(ChannelReader<RequestOutput> reader, string requestId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool finished = false;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out RequestOutput? output))
                {
                    finished |= output.Finished;
                    yield return output;
                }
            }
        }
        finally
        {
            if (!finished)
            {
                Abort(requestId);
            }
        }
    }

    private void Post(Action command)
    {
        _commands.Enqueue(command);
        _wake.Release();
    }

    private void Loop()
    {
        while (!_stopping)
        {
            while (_commands.TryDequeue(out Action? command))
            {
                command();
            }
            if (!Engine.HasWork)
            {
                _wake.Wait();
                continue;
            }
            try
            {
                IReadOnlyList<RequestOutput> outputs = Engine.Step();
                Steps++;
                foreach (RequestOutput o in outputs)
                {
                    if (_streams.TryGetValue(o.RequestId, out Channel<RequestOutput>? channel))
                    {
                        channel.Writer.TryWrite(o);
                        if (o.Finished)
                        {
                            _streams.TryRemove(o.RequestId, out _);
                            channel.Writer.TryComplete();
                        }
                    }
                }
            }
            catch (Exception e)
            {
                // a failed step poisons every in-flight request: fail their streams and drop them from the engine
                foreach (var (id, channel) in _streams)
                {
                    Engine.Abort(id);
                    channel.Writer.TryComplete(e);
                }
                _streams.Clear();
                try
                {
                    Engine.Step();   // drain the abort deltas
                }
                catch (Exception)
                {
                    // the engine stays unusable for these requests; new submissions still get their own errors
                }
            }
        }
    }
}
