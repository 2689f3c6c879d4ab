namespace LlmSuite.AppHost.Output;

/// <summary>
/// The AppHost's console: children's lines with a coloured <c>[name-i]</c> prefix, the AppHost's own messages, and
/// a live status line kept at the bottom on a terminal (printed as a line on each change when output is redirected).
/// Colours follow the terminal: off when redirected or when <c>NO_COLOR</c> is set, forced by <c>FORCE_COLOR</c>.
/// </summary>
public sealed class ConsoleRenderer
{
    private static readonly string[] s_palette = ["36", "35", "33", "32", "34", "96", "95", "93", "92", "94"];

    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly bool _colour;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _colours = new(StringComparer.Ordinal);
    private string _status = "";

    public ConsoleRenderer(TextWriter output, bool interactive)
    {
        _out = output;
        _interactive = interactive;
        _colour = Environment.GetEnvironmentVariable("FORCE_COLOR") is { Length: > 0 }
            || (interactive && Environment.GetEnvironmentVariable("NO_COLOR") is null);
    }

    /// <summary>A renderer on the process console.</summary>
    public static ConsoleRenderer ForConsole() => new(Console.Out, !Console.IsOutputRedirected);

    public void WriteLog(string replicaName, string resourceName, string line, bool error)
    {
        lock (_gate)
        {
            ClearStatus();
            var prefix = $"[{replicaName}]";
            _out.Write(_colour ? $"\u001b[{ColourOf(resourceName)}m{prefix}\u001b[0m " : prefix + " ");
            _out.WriteLine(error && _colour ? $"\u001b[31m{line}\u001b[0m" : line);
            DrawStatus();
        }
    }

    public void WriteInfo(string message)
    {
        lock (_gate)
        {
            ClearStatus();
            _out.WriteLine(_colour ? $"\u001b[1m[apphost]\u001b[0m {message}" : $"[apphost] {message}");
            DrawStatus();
        }
    }

    public void WriteBlock(string text)
    {
        lock (_gate)
        {
            ClearStatus();
            _out.WriteLine(text);
            DrawStatus();
        }
    }

    /// <summary>Updates the status line (<c>redis up · inference-0 up · inference-1 restarting</c>).</summary>
    public void SetStatus(IEnumerable<(string Name, string Status)> replicas)
    {
        var text = string.Join("  ", replicas.Select(r => _colour ? $"{Dot(r.Status)} {r.Name} {r.Status}" : $"{r.Name}={r.Status}"));
        lock (_gate)
        {
            if (text == _status)
            {
                return;
            }
            ClearStatus();
            _status = text;
            if (_interactive)
            {
                DrawStatus();
            }
            else
            {
                _out.WriteLine($"[apphost] status: {text}");
            }
        }
    }

    private void ClearStatus()
    {
        if (_interactive && _status.Length > 0)
        {
            _out.Write("\r\u001b[2K");
        }
    }

    private void DrawStatus()
    {
        if (_interactive && _status.Length > 0)
        {
            _out.Write(_status);
            _out.Flush();
        }
    }

    private string ColourOf(string resourceName)
    {
        if (!_colours.TryGetValue(resourceName, out var colour))
        {
            _colours[resourceName] = colour = s_palette[_colours.Count % s_palette.Length];
        }
        return colour;
    }

    private static string Dot(string status) => status switch
    {
        "up" => "\u001b[32m●\u001b[0m",
        "failed" => "\u001b[31m●\u001b[0m",
        "stopped" => "\u001b[90m●\u001b[0m",
        _ => "\u001b[33m●\u001b[0m",
    };
}
