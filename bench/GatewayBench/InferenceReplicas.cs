using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LlmSuite.EngineBench;

namespace LlmSuite.GatewayBench;

/// <summary>
/// Real InferenceService replicas as child processes (what AppHost starts), serving the bundled model with its context
/// raised to 2048 positions (same weights, RoPE extends; output quality is irrelevant for TTFT) so that multi-turn
/// histories of 1-1.5k tokens fit. Prefix caching is the engine's default (on); the KV budget is set explicitly.
/// </summary>
internal sealed class InferenceReplicas : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    private InferenceReplicas(IReadOnlyList<Uri> addresses) => Addresses = addresses;

    /// <summary>The replicas' base addresses.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>Starts <paramref name="count"/> replicas and waits until every one reports healthy.</summary>
    public static async Task<InferenceReplicas> StartAsync(int count, string modelDir, long kvCacheBytes)
    {
        var dll = InferenceServiceDll();
        var addresses = Enumerable.Range(0, count).Select(_ => new Uri($"http://127.0.0.1:{FreePort()}")).ToArray();
        var replicas = new InferenceReplicas(addresses);
        foreach (var address in addresses)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(address.ToString());
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Inference__Model"] = modelDir;
            start.Environment["Inference__KvCacheBytes"] = kvCacheBytes.ToString(CultureInfo.InvariantCulture);
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"  [replica {address.Port}] {e.Data}"); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            replicas._processes.Add(process);
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var address in addresses)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(address, "/health"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
                if (deadline.Elapsed > TimeSpan.FromMinutes(2) || replicas._processes.Any(p => p.HasExited))
                {
                    await replicas.DisposeAsync();
                    throw new InvalidOperationException($"replica {address} did not become healthy");
                }
                await Task.Delay(200);
            }
        }
        return replicas;
    }

    /// <summary>
    /// A servable model directory for <paramref name="kind"/>, written once under the temp folder: <c>default</c> is a
    /// copy of the bundled <c>models/default</c> (context 512) with <c>max_position_embeddings</c> 2048 (same weights,
    /// RoPE extends; output quality is irrelevant for TTFT); <c>m16</c> / <c>m90</c> are EngineBench's seeded
    /// random-weight Llamas (context 2048) with the bundled tokenizer and chat template added.
    /// Files are copied, not linked: the engine maps the weights and would take a symlink's own length.
    /// </summary>
    public static string ChatModel(string kind)
    {
        var bundled = Path.Combine(RepoRoot(), "models", "default");
        var dir = Path.Combine(Path.GetTempPath(), $"llmsuite-gatewaybench-{kind}-ctx2048");
        Directory.CreateDirectory(dir);
        foreach (var file in (string[])["tokenizer.json", "tokenizer_config.json"])
        {
            Copy(Path.Combine(bundled, file), Path.Combine(dir, file));
        }
        if (kind == "default")
        {
            Copy(Path.Combine(bundled, "model.safetensors"), Path.Combine(dir, "model.safetensors"));
            File.Copy(Path.Combine(bundled, "config.json"), Path.Combine(dir, "config.json"), overwrite: true);
        }
        else if (!File.Exists(Path.Combine(dir, "model.safetensors")))
        {
            // EngineBench's shapes with the bundled tokenizer's vocabulary (4096), so every sampled id decodes.
            var shape = kind switch
            {
                "m16" => SyntheticModelShape.M16,
                "m90" => SyntheticModelShape.M90,
                _ => throw new ArgumentException($"unknown model kind {kind} (default, m16, m90)", nameof(kind)),
            } with { Vocab = 4096 };
            Console.WriteLine($"writing a random {shape.Parameters / 1e6:F0}M-parameter Llama to {dir} ...");
            SyntheticModel.Write(dir, shape, seed: 1);
        }
        var configPath = Path.Combine(dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["max_position_embeddings"] = 2048;
        config["bos_token_id"] = 4093; // the bundled tokenizer's <|endoftext|> and <|im_end|>
        config["eos_token_id"] = 4095;
        File.WriteAllText(configPath, config.ToJsonString());
        return dir;
    }

    private static void Copy(string source, string target)
    {
        if (!File.Exists(target) || new FileInfo(target).Length != new FileInfo(source).Length)
        {
            File.Copy(source, target, overwrite: true);
        }
    }

    /// <summary>Sum of the Prometheus samples at <paramref name="address"/>/metrics whose name starts with <paramref name="prefix"/> (and whose line contains <paramref name="label"/>).</summary>
    public static async Task<double> ScrapeAsync(HttpClient http, Uri address, string prefix, string label = "")
    {
        var text = await http.GetStringAsync(new Uri(address, "/metrics"));
        var sum = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
            {
                sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return sum;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
    }

    private static string InferenceServiceDll()
    {
        // bin/GatewayBench/release/ → bin/InferenceService/release/ (built through the ProjectReference).
        var dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "InferenceService",
            new DirectoryInfo(AppContext.BaseDirectory).Name, "InferenceService.dll"));
        return File.Exists(dll) ? dll : throw new FileNotFoundException("InferenceService.dll not found next to the bench's output", dll);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Suite.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("run the bench from inside the repository (Suite.sln not found above the current directory)");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
