using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmSuite.ServiceDefaults.Tests.Logging;

/// <summary>ASP.NET Core's per-request Information lines are off by default and come back when configured.</summary>
public class FrameworkLogTests
{
    [Fact]
    public void AddServiceDefaults_NoLoggingConfiguration_QuietsRequestLogsButNotTheApp()
    {
        using WebApplication app = Build();
        var factory = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Warning));
        Assert.True(factory.CreateLogger("LlmSuite.InferenceService.Models").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void AddServiceDefaults_CategoryConfigured_ConfigurationWins()
    {
        using WebApplication app = Build("--Logging:LogLevel:Microsoft.AspNetCore=Information");
        var factory = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
    }

    private static WebApplication Build(params string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = "Production", ApplicationName = "ServiceDefaults.Tests" });
        builder.AddServiceDefaults();
        return builder.Build();
    }
}
