using System.Text.Json;

namespace LlmSuite.Engine.Formats.SafeTensors;

/// <summary>
/// The safetensors weights of a Hugging Face model directory: either one "model.safetensors" or the shards listed in
/// "model.safetensors.index.json" (weight_map: tensor name → shard file). Presents all tensors as one source.
/// </summary>
public sealed class SafeTensorsCheckpoint : ITensorSource
{
    /// <summary>File name of a single-file checkpoint.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>File name of a sharded checkpoint's index.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly List<SafeTensorsFile> _files = new();
    private readonly Dictionary<string, SafeTensorsFile> _byTensor = new(StringComparer.Ordinal);

    private SafeTensorsCheckpoint(string directory)
    {
        Description = directory;
    }

    /// <summary>The model directory.</summary>
    public string Description { get; }

    /// <summary>The shard files (one for a single-file checkpoint).</summary>
    public IReadOnlyList<string> Files => _files.Select(f => f.Description).ToArray();

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => _files.SelectMany(f => f.Names).Where(n => _byTensor.ContainsKey(n)).Distinct().ToArray();

    /// <summary>True when <paramref name="directory"/> holds safetensors weights.</summary>
    public static bool Exists(string directory) =>
        File.Exists(Path.Combine(directory, SingleFileName)) || File.Exists(Path.Combine(directory, IndexFileName));

    /// <summary>Opens the checkpoint in a model directory (index first, then model.safetensors).</summary>
    public static SafeTensorsCheckpoint Open(string directory)
    {
        var ckpt = new SafeTensorsCheckpoint(directory);
        try
        {
            string index = Path.Combine(directory, IndexFileName);
            if (File.Exists(index))
            {
                ckpt.OpenSharded(index);
            }
            else if (File.Exists(Path.Combine(directory, SingleFileName)))
            {
                ckpt.Add(SafeTensorsFile.Open(Path.Combine(directory, SingleFileName)));
            }
            else
            {
                throw new FileNotFoundException($"{directory}: no {SingleFileName} or {IndexFileName} found");
            }
            return ckpt;
        }
        catch
        {
            ckpt.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public bool Contains(string name) => _byTensor.ContainsKey(name);

    /// <inheritdoc />
    public TensorInfo GetInfo(string name) => Owner(name).GetInfo(name);

    /// <inheritdoc />
    public ReadOnlySpan<byte> GetBytes(string name) => Owner(name).GetBytes(name);

    /// <summary>Unmaps every shard.</summary>
    public void Dispose()
    {
        foreach (SafeTensorsFile f in _files)
        {
            f.Dispose();
        }
        _files.Clear();
    }

    private SafeTensorsFile Owner(string name) =>
        _byTensor.TryGetValue(name, out SafeTensorsFile? f) ? f : throw new KeyNotFoundException($"{Description}: tensor '{name}' not found in the checkpoint");

    private void OpenSharded(string indexPath)
    {
        Dictionary<string, string> weightMap;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            weightMap = doc.RootElement.GetProperty("weight_map").EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetString() ?? throw new InvalidDataException($"{indexPath}: weight_map entry '{p.Name}' is not a file name"), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{indexPath}: invalid safetensors index (expected {{\"weight_map\": {{tensor: file}}}}): {e.Message}", e);
        }
        var shards = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        foreach (string shard in weightMap.Values.Distinct().Order(StringComparer.Ordinal))
        {
            if (shard.Contains('/') || shard.Contains('\\') || shard.Contains(".."))
            {
                throw new InvalidDataException($"{indexPath}: shard name '{shard}' must be a plain file name in the model directory");
            }
            SafeTensorsFile f = SafeTensorsFile.Open(Path.Combine(Description, shard));
            _files.Add(f);
            shards[shard] = f;
        }
        foreach ((string tensor, string shard) in weightMap)
        {
            SafeTensorsFile f = shards[shard];
            if (!f.Contains(tensor))
            {
                throw new InvalidDataException($"{indexPath}: tensor '{tensor}' is mapped to {shard} but that shard does not contain it");
            }
            _byTensor[tensor] = f;
        }
    }

    private void Add(SafeTensorsFile f)
    {
        _files.Add(f);
        // unsupported-dtype tensors stay reachable so GetInfo can name them and their dtype
        foreach (string name in f.AllTensorNames)
        {
            _byTensor[name] = f;
        }
    }
}
