using System.Runtime.InteropServices;

namespace LlmSuite.AppHost.Orchestration;

/// <summary>
/// Turns Ctrl+C (SIGINT), SIGTERM and SIGQUIT into a cancellation token instead of killing the AppHost, so it can
/// stop its children first. A second signal asks for a fast stop (children are killed without waiting).
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _hurry = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Handle),
        ];
    }

    /// <summary>Cancelled on the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Cancelled on the second signal.</summary>
    public CancellationToken Hurry => _hurry.Token;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        if (_stop.IsCancellationRequested)
        {
            _hurry.Cancel();
        }
        else
        {
            _stop.Cancel();
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _stop.Dispose();
        _hurry.Dispose();
    }
}
