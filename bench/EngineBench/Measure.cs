using System.Diagnostics;

namespace LlmSuite.EngineBench;

/// <summary>
/// Timing helpers: median of several repetitions after a warm-up, as wall time and as process CPU time.
/// On a shared machine the CPU-time figure of a single-threaded run shows the kernel's own speed when other
/// processes steal the core (the wall figure is what a user sees).
/// </summary>
internal static class Measure
{
    /// <summary>Median wall-clock seconds and median process CPU seconds of <paramref name="repetitions"/> runs.</summary>
    public static (double Wall, double Cpu) Median(int repetitions, Action action)
    {
        action();
        var wall = new double[repetitions];
        var cpu = new double[repetitions];
        using var process = Process.GetCurrentProcess();
        for (int r = 0; r < repetitions; r++)
        {
            process.Refresh();
            TimeSpan cpu0 = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            action();
            wall[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpu0).TotalSeconds;
        }
        return (MedianOf(wall), MedianOf(cpu));
    }

    /// <summary>Median wall-clock seconds.</summary>
    public static double MedianSeconds(int repetitions, Action action) => Median(repetitions, action).Wall;

    /// <summary>Fastest of <paramref name="repetitions"/> runs: on a busy machine, the run no other process interrupted.</summary>
    public static double MinSeconds(int repetitions, Action action)
    {
        action();
        double best = double.MaxValue;
        for (int r = 0; r < repetitions; r++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }

    private static double MedianOf(double[] values)
    {
        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
