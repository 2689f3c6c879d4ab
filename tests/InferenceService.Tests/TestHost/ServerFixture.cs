namespace LlmSuite.InferenceService.Tests.TestHost;

/// <summary>One server over a tiny model named "tiny" shared by the tests of the "server" collection (they run one at a time, so /metrics is theirs).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public string ModelDir { get; } = Path.Combine(Path.GetTempPath(), "inference-tests-" + Guid.NewGuid().ToString("N"), "tiny");

    public InferenceServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        TinyModel.Write(ModelDir, seed: 1234, hidden: 64, layers: 2);
        Server = await InferenceServer.StartAsync("--model", ModelDir, "--Inference:KvCacheBlocks", "512", "--Inference:MaxNumSeqs", "8");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(ModelDir)!, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
