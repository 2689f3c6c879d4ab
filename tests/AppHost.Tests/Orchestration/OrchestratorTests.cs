using System.Text.Json;
using LlmSuite.AppHost.Hosting;
using LlmSuite.AppHost.Orchestration;
using LlmSuite.AppHost.Output;

namespace LlmSuite.AppHost.Tests.Orchestration;

/// <summary>The orchestrator in-process with real child processes (python3's http.server, sh, sleep).</summary>
public class OrchestratorTests
{
    private const string SlowHttpServer =
        "import time,sys,http.server; time.sleep(1.5); http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()";

    private static (DistributedApplicationBuilder Builder, StringWriter Output) NewBuilder(params string[] args)
    {
        var suite = Directory.CreateTempSubdirectory("orchestrator-test-").FullName;
        return (DistributedApplication.CreateBuilder(["--suite-dir", suite, "--no-redis", .. args]), new StringWriter());
    }

    private static DistributedApplication Build(DistributedApplicationBuilder builder, StringWriter output)
    {
        var app = builder.Build();
        return new DistributedApplication(app.Options, app.Resources, app.SuiteDirectory)
        {
            Console = new ConsoleRenderer(TextWriter.Synchronized(output), interactive: false),
        };
    }

    private static async Task<JsonElement> WaitForStateAsync(string suite, Func<JsonElement, bool> condition)
    {
        var path = Path.Combine(suite, "state.json");
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if (File.Exists(path) && JsonDocument.Parse(File.ReadAllText(path)).RootElement is var state && condition(state))
                {
                    return state.Clone();
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // being replaced
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("state not reached");
    }

    [Fact]
    public async Task RunAsync_WaitForAndReference_DependantStartsAfterHealthyWithServiceVariables()
    {
        var (builder, output) = NewBuilder();
        var a = builder.AddExecutable("a", "python3", Path.GetTempPath(), "/", "-c", SlowHttpServer, "{port}").WithReplicas(2);
        builder.AddExecutable("b", "python3", Path.GetTempPath(), "/", "-c", SlowHttpServer, "{port}").WithReference(a).WaitFor(a);
        var app = Build(builder, output);
        using var stop = new CancellationTokenSource();
        await using var orchestrator = new Orchestrator(app);
        var run = orchestrator.RunAsync(stop.Token, CancellationToken.None);

        List<JsonElement> resources = [];
        int exitCode;
        try
        {
            var state = await WaitForStateAsync(app.SuiteDirectory, s => s.GetProperty("ready").GetBoolean());
            resources = state.GetProperty("resources").EnumerateArray().ToList();
            var a0 = resources.Single(r => r.GetProperty("name").GetString() == "a-0");
            var a1 = resources.Single(r => r.GetProperty("name").GetString() == "a-1");
            var b = resources.Single(r => r.GetProperty("name").GetString() == "b");
            var env = b.GetProperty("environment");
            Assert.Equal($"http://127.0.0.1:{a0.GetProperty("port").GetInt32()}", env.GetProperty("services__a__http__0").GetString());
            Assert.Equal($"http://127.0.0.1:{a1.GetProperty("port").GetInt32()}", env.GetProperty("services__a__http__1").GetString());
            Assert.Equal("b", env.GetProperty("OTEL_SERVICE_NAME").GetString());
            Assert.Equal("service.instance.id=a-1", a1.GetProperty("environment").GetProperty("OTEL_RESOURCE_ATTRIBUTES").GetString());

            var log = output.ToString();
            var aUp = log.IndexOf("a-0=up  a-1=up  b=waiting", StringComparison.Ordinal);
            var bStarting = log.IndexOf("b=starting", StringComparison.Ordinal);
            Assert.True(aUp >= 0 && bStarting > aUp, "b must start only after both replicas of a are up:\n" + log);
        }
        finally
        {
            stop.Cancel();
            exitCode = await run;
        }
        Assert.Equal(0, exitCode);
        Assert.All(resources, r => Assert.False(AppHostProcess.IsAlive(r.GetProperty("pid").GetInt32())));
    }

    [Fact]
    public async Task RunAsync_NeverHealthy_FailsWithTimeoutNamingTheUrl()
    {
        var (builder, output) = NewBuilder("--health-timeout", "2");
        builder.AddExecutable("mute", "sleep", Path.GetTempPath(), "/health", "60");
        var app = Build(builder, output);
        await using var orchestrator = new Orchestrator(app);

        Assert.Equal(1, await orchestrator.RunAsync(CancellationToken.None, CancellationToken.None));

        var log = output.ToString();
        Assert.Matches(@"mute did not become healthy at http://127\.0\.0\.1:\d+/health within 2 s", log);
        Assert.Contains("--health-timeout", log);
    }

    [Fact]
    public async Task RunAsync_ExitsAtStartup_FailsWithItsLastOutputAndDependantsNeverStart()
    {
        var (builder, output) = NewBuilder();
        var broken = builder.AddExecutable("broken", "sh", Path.GetTempPath(), "/health", "-c", "echo 'model file not found: /nope'; exit 3");
        builder.AddExecutable("after", "sleep", Path.GetTempPath(), "/health", "60").WaitFor(broken);
        var app = Build(builder, output);
        await using var orchestrator = new Orchestrator(app);

        Assert.Equal(1, await orchestrator.RunAsync(CancellationToken.None, CancellationToken.None));

        var log = output.ToString();
        Assert.Contains("broken exited before it became healthy", log);
        Assert.Contains("model file not found: /nope", log);
        Assert.DoesNotContain("after=starting", log);
    }
}
