namespace LlmSuite.GatewayBench;

/// <summary>The machine's CPU busy fraction over an interval, from the aggregate line of /proc/stat (Linux; NaN elsewhere).</summary>
internal sealed class CpuMeter
{
    private readonly long[]? _start = Read();

    /// <summary>Busy fraction of all CPUs since construction: 1 − (idle + iowait) / total. Spin-waits count as busy.</summary>
    public double Busy()
    {
        long[]? end = Read();
        if (_start is null || end is null)
        {
            return double.NaN;
        }
        long total = end.Sum() - _start.Sum(), idle = end[3] + end[4] - (_start[3] + _start[4]);
        return total == 0 ? double.NaN : 1 - (double)idle / total;
    }

    private static long[]? Read()
    {
        const string Stat = "/proc/stat";
        return File.Exists(Stat)
            ? [.. File.ReadLines(Stat).First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse)]
            : null;
    }
}
