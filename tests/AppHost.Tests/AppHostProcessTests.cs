using System.Text.Json;

namespace LlmSuite.AppHost.Tests;

/// <summary>The AppHost as users run it: a child process, real redis-server, real signals.</summary>
public class AppHostProcessTests
{
    private static string NewSuiteDirectory() => Directory.CreateTempSubdirectory("apphost-test-").FullName;

    private static IEnumerable<JsonElement> Resources(JsonElement state) => state.GetProperty("resources").EnumerateArray();

    private static int[] Pids(JsonElement state) => [.. Resources(state).Select(r => r.GetProperty("pid").GetInt32())];

    [Fact]
    public async Task Run_CtrlC_EveryResourceHealthyThenNoProcessLeft()
    {
        await using var host = AppHostProcess.Start(NewSuiteDirectory());
        var state = await host.WaitReadyAsync();

        var redis = Assert.Single(Resources(state), r => r.GetProperty("resource").GetString() == "redis");
        var port = redis.GetProperty("port").GetInt32();
        using var http = new HttpClient();
        foreach (var resource in Resources(state))
        {
            Assert.Equal("up", resource.GetProperty("status").GetString());
            Assert.True(AppHostProcess.PortAccepts(resource.GetProperty("port").GetInt32()));
            if (resource.GetProperty("url").GetString() is { } url && url.StartsWith("http://", StringComparison.Ordinal))
            {
                using var health = await http.GetAsync(url + "/health");
                Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
            }
        }
        Assert.Contains("The suite is ready", host.Output);
        Assert.Contains("[redis]", host.Output);
        var pids = Pids(state);

        host.Interrupt();
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        Assert.All(pids, pid => Assert.False(AppHostProcess.IsAlive(pid), $"pid {pid} survived the AppHost"));
        Assert.False(AppHostProcess.PortAccepts(port));
        Assert.Contains("stopped.", host.Output);
    }

    [Fact]
    public async Task Run_ChildKilled_RestartedWithBackoffAndHealthyAgain()
    {
        await using var host = AppHostProcess.Start(NewSuiteDirectory());
        var state = await host.WaitReadyAsync();
        var oldPid = Pids(state)[0];

        AppHostProcess.Signal(oldPid, 9);
        var after = await host.WaitUntilAsync(s =>
        {
            var r = Resources(s).First();
            return r.GetProperty("restarts").GetInt32() == 1 && r.GetProperty("status").GetString() == "up";
        }, TimeSpan.FromSeconds(30));

        var newPid = Pids(after)[0];
        Assert.NotEqual(oldPid, newPid);
        Assert.True(AppHostProcess.PortAccepts(Resources(after).First().GetProperty("port").GetInt32()));
        Assert.Contains("restarting in 1 s", host.Output);
        host.Interrupt();
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(AppHostProcess.IsAlive(newPid));
    }

    [Fact]
    public async Task Run_PreviousAppHostKilledHard_LeftoverChildrenCleanedUpOnNextStart()
    {
        var suite = NewSuiteDirectory();
        await using var first = AppHostProcess.Start(suite);
        var orphan = Pids(await first.WaitReadyAsync())[0];
        AppHostProcess.Signal(first.Pid, 9); // no chance to clean up
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(AppHostProcess.IsAlive(orphan));

        await using var second = AppHostProcess.Start(suite);
        await second.WaitReadyAsync();

        Assert.False(AppHostProcess.IsAlive(orphan));
        Assert.Contains($"killed redis (pid {orphan})", second.Output);
        second.Interrupt();
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Run_SecondAppHostOnSameSuiteDirectory_RefusesWithClearError()
    {
        var suite = NewSuiteDirectory();
        await using var first = AppHostProcess.Start(suite);
        await first.WaitReadyAsync();

        await using var second = AppHostProcess.Start(suite);
        Assert.Equal(1, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("another AppHost is running", second.Output);

        first.Interrupt();
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Run_GatewayPortInUse_FailsNamingThePortAndStartsNothing()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;

        await using var host = AppHostProcess.Start(NewSuiteDirectory(), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"port {port} for 'gateway' is in use", host.Output);
        Assert.DoesNotContain("[redis]", host.Output);
    }

    [Fact]
    public async Task Run_UnknownOption_ExitsWithUsage()
    {
        await using var host = AppHostProcess.Start(NewSuiteDirectory(), "--replcias", "3");
        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("unknown option '--replcias'", host.Output);
        Assert.Contains("Usage:", host.Output);
    }
}
