using System.Text;
using LlmSuite.AppHost.Orchestration;

namespace LlmSuite.AppHost.Output;

/// <summary>The table printed when the suite is ready: resource, state, URL, pid.</summary>
internal static class ResourceTable
{
    public static string Render(IReadOnlyList<ReplicaProcess> replicas, string suiteDirectory)
    {
        var rows = replicas.Select(r => (r.Name, Status: r.Status.ToString().ToLowerInvariant(), Url: $"{r.Resource.Scheme}://127.0.0.1:{r.Port}", Pid: r.Pid?.ToString() ?? "-")).ToList();
        var w1 = Math.Max("Resource".Length, rows.Max(r => r.Name.Length));
        var w2 = Math.Max("State".Length, rows.Max(r => r.Status.Length));
        var w3 = Math.Max("URL".Length, rows.Max(r => r.Url.Length));
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine($"  {"Resource".PadRight(w1)}  {"State".PadRight(w2)}  {"URL".PadRight(w3)}  Pid");
        sb.AppendLine($"  {new string('-', w1)}  {new string('-', w2)}  {new string('-', w3)}  -----");
        foreach (var row in rows)
        {
            sb.AppendLine($"  {row.Name.PadRight(w1)}  {row.Status.PadRight(w2)}  {row.Url.PadRight(w3)}  {row.Pid}");
        }
        sb.AppendLine();
        sb.AppendLine($"  The suite is ready. State: {Path.Combine(suiteDirectory, "state.json")}. Press Ctrl+C to stop everything.");
        return sb.ToString();
    }
}
