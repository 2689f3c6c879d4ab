namespace LlmSuite.AppHost.Hosting;

/// <summary>The AppHost's command line.</summary>
public sealed record AppHostOptions
{
    /// <summary>Replicas of the inference service (default 2).</summary>
    public int InferenceReplicas { get; init; } = 2;

    /// <summary>Model directory or .gguf file for the inference service (default: the bundled model).</summary>
    public string? Model { get; init; }

    /// <summary>The gateway's port: the address OpenAI/Ollama clients use (0 = any free port).</summary>
    public int GatewayPort { get; init; } = 8000;

    /// <summary>Do not start Redis (services run without cache, keys and limits).</summary>
    public bool NoRedis { get; init; }

    /// <summary>Where runtime state lives (Redis data, pid file, state file). Default: the repo's ignored <c>.suite/</c>.</summary>
    public string? SuiteDirectory { get; init; }

    /// <summary>How long to wait for a resource's health before giving up.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Print <c>--help</c> and exit.</summary>
    public bool ShowHelp { get; init; }

    public const string Usage = """
        Usage: dotnet run --project AppHost [-- options]

        Starts Redis and every service of the suite on 127.0.0.1 with free ports, wired with Aspire's environment
        conventions (services__NAME__http__N, ConnectionStrings__redis, OTEL_*). Ctrl+C stops everything.

        Options:
          --replicas N          inference replicas (default 2)
          --model PATH          model directory or .gguf file (default: models/default, the bundled model)
          --port N              the gateway's port, where clients connect (default 8000; 0 = any free port)
          --no-redis            do not start Redis
          --health-timeout SEC  how long to wait for each resource's /health (default 180)
          --suite-dir DIR       runtime state directory (default: .suite/ in the repository)
          -h, --help            show this help

        Environment: OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL, _HEADERS) are passed to every service when set.
        """;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static AppHostOptions Parse(IReadOnlyList<string> args)
    {
        var options = new AppHostOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"option {arg} needs a value");
                }
                return args[++i];
            }
            var (name, inline) = arg.Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (arg, null);
            string Next() => inline ?? Value();
            options = name switch
            {
                "--replicas" => options with { InferenceReplicas = int.TryParse(Next(), out var r) && r is >= 1 and <= 64 ? r : throw new ArgumentException("--replicas must be an integer from 1 to 64") },
                "--model" => options with { Model = Next() },
                "--port" => options with { GatewayPort = int.TryParse(Next(), out var p) && p is >= 0 and <= 65535 ? p : throw new ArgumentException("--port must be an integer from 0 to 65535") },
                "--no-redis" => options with { NoRedis = true },
                "--suite-dir" => options with { SuiteDirectory = Next() },
                "--health-timeout" => options with { HealthTimeout = TimeSpan.FromSeconds(double.TryParse(Next(), System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 0 ? t : throw new ArgumentException("--health-timeout must be a positive number of seconds")) },
                "-h" or "--help" => options with { ShowHelp = true },
                "run" => options,
                _ => throw new ArgumentException($"unknown option '{arg}' (see --help)"),
            };
        }
        return options;
    }
}
