namespace LlmSuite.Gateway;

/// <summary>
/// The gateway's configuration, section <c>Gateway</c>. Backend addresses are not here: they come from service
/// discovery (<c>services:inference:http:*</c>, <c>services:embedding:http:*</c>) and Redis from
/// <c>ConnectionStrings:redis</c>.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Routing and load balancing.</summary>
    public LoadBalancingOptions LoadBalancing { get; set; } = new();

    /// <summary>The Redis prompt cache.</summary>
    public PromptCacheOptions Cache { get; set; } = new();

    /// <summary>API keys.</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>Per-key limits.</summary>
    public RateLimitOptions RateLimiting { get; set; } = new();

    /// <summary>Largest request body the gateway parses (bigger bodies are forwarded untouched, without cache or affinity).</summary>
    public int MaxParsedBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How often each backend's <c>/v1/models</c> is polled for the model → pool map.</summary>
    public TimeSpan ModelPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Active health check interval (GET <c>/health</c> on every replica).</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a replica that failed passively (transport errors) stays out of rotation.</summary>
    public TimeSpan PassiveReactivationPeriod { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The cache-aware policy's thresholds (SGLang router's rule).</summary>
public sealed class LoadBalancingOptions
{
    /// <summary>Policy name: <c>CacheAware</c> (default) or any YARP built-in (<c>RoundRobin</c>, <c>LeastRequests</c>, ...).</summary>
    public string Policy { get; set; } = "CacheAware";

    /// <summary>A prefix match is used when matched blocks / prompt blocks is strictly greater than this.</summary>
    public double CacheThreshold { get; set; } = 0.5;

    /// <summary>Imbalanced when max − min outstanding requests is greater than this ...</summary>
    public int BalanceAbsThreshold { get; set; } = 2;

    /// <summary>... and max outstanding is greater than this × min.</summary>
    public double BalanceRelThreshold { get; set; } = 1.5;

    /// <summary>Characters per prompt block for the chained block hashes.</summary>
    public int BlockChars { get; set; } = 16;

    /// <summary>Most block hashes remembered per replica (least recently used are evicted).</summary>
    public int MaxBlocksPerReplica { get; set; } = 200_000;

    /// <summary>Retry on another replica when a replica fails before the first response byte.</summary>
    public int MaxRetries { get; set; } = 1;
}

/// <summary>Prompt cache settings.</summary>
public sealed class PromptCacheOptions
{
    /// <summary>On by default when Redis is configured.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Entry lifetime.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Responses larger than this are not stored.</summary>
    public int MaxEntryBytes { get; set; } = 1024 * 1024;
}

/// <summary>API key settings.</summary>
public sealed class AuthOptions
{
    /// <summary>Null means: off in Development, on everywhere else.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Configured keys (plain text in configuration/secrets; only their SHA-256 is kept in memory and Redis).</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];
}

/// <summary>One configured API key.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The secret the client sends as <c>Authorization: Bearer …</c>.</summary>
    public string Key { get; set; } = "";

    /// <summary>Tenant (cache and usage scope). Defaults to the key's hash prefix.</summary>
    public string? Tenant { get; set; }

    /// <summary>Requests per minute; 0 uses <see cref="RateLimitOptions.RequestsPerMinute"/>.</summary>
    public int RequestsPerMinute { get; set; }

    /// <summary>Tokens per minute; 0 uses <see cref="RateLimitOptions.TokensPerMinute"/>.</summary>
    public int TokensPerMinute { get; set; }
}

/// <summary>Default limits and outage behaviour.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Default requests per minute per key; 0 = unlimited.</summary>
    public int RequestsPerMinute { get; set; }

    /// <summary>Default prompt+completion tokens per minute per key; 0 = unlimited.</summary>
    public int TokensPerMinute { get; set; }

    /// <summary>When Redis is down: true lets requests through (default), false answers 503.</summary>
    public bool FailOpen { get; set; } = true;
}
