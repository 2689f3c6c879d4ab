namespace LlmSuite.AppHost.Orchestration;

/// <summary>Polls a replica's health probe until it is ready, the process exits, or the timeout passes.</summary>
internal static class HealthWaiter
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Null when healthy; otherwise a message that says what happened and what the probe last saw.</summary>
    public static async Task<string?> WaitAsync(ReplicaProcess replica, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var probe = replica.Resource.HealthProbe;
        var deadline = DateTime.UtcNow + timeout;
        string? last = "not probed yet";
        while (!cancellationToken.IsCancellationRequested)
        {
            if (replica.Exited.IsCompleted)
            {
                return $"{replica.Name} exited before it became healthy. Its last output:\n{replica.Tail()}";
            }
            last = await probe.CheckAsync(replica.Port, cancellationToken);
            if (last is null)
            {
                return null;
            }
            if (DateTime.UtcNow >= deadline)
            {
                return $"{replica.Name} did not become healthy at {probe.Describe(replica.Port)} within {timeout.TotalSeconds:0} s " +
                       $"(last answer: {last}). Raise it with --health-timeout. Its last output:\n{replica.Tail()}";
            }
            await Task.WhenAny(Task.Delay(s_interval, cancellationToken), replica.Exited);
        }
        return "cancelled";
    }
}
