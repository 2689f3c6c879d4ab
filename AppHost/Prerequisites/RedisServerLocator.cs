using System.Diagnostics;

namespace LlmSuite.AppHost.Prerequisites;

/// <summary>
/// Finds <c>redis-server</c>; when it is missing, installs Debian's package with apt-get if this process may
/// (root, or passwordless sudo), otherwise fails with the exact command to run.
/// </summary>
public static class RedisServerLocator
{
    /// <summary>The path of redis-server, installing it when possible.</summary>
    public static string FindOrInstall(TextWriter log)
    {
        if (Find() is { } path)
        {
            return path;
        }
        var prefix = Environment.UserName == "root" ? "" : CanSudo() ? "sudo -n " : null;
        if (prefix is null)
        {
            throw new InvalidOperationException(
                "redis-server is not installed. Install it with:  sudo apt-get install -y redis-server   (or start the suite with --no-redis)");
        }
        log.WriteLine("apphost: redis-server is missing; installing Debian's redis-server with apt-get …");
        var ok = Run($"{prefix}apt-get install -y --no-install-recommends redis-server")
              || (Run($"{prefix}apt-get update") && Run($"{prefix}apt-get install -y --no-install-recommends redis-server"));
        return ok && Find() is { } installed
            ? installed
            : throw new InvalidOperationException(
                "installing redis-server failed. Install it with:  sudo apt-get install -y redis-server   (or start the suite with --no-redis)");
    }

    /// <summary>redis-server on PATH or in the usual places, or null.</summary>
    public static string? Find()
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/usr/local/bin", "/usr/sbin"]);
        return dirs.Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);
    }

    private static bool CanSudo() => File.Exists("/usr/bin/sudo") && Run("sudo -n true", quiet: true);

    private static bool Run(string command, bool quiet = false)
    {
        var psi = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardOutput = quiet,
            RedirectStandardError = quiet,
        };
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(psi)!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
