using System.Text.Json;

namespace LlmSuite.Engine.Formats.SafeTensors;

/// <summary>
/// One memory-mapped .safetensors file: an 8-byte little-endian header length N, N bytes of JSON
/// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}), then the raw tensor bytes.
/// The header is validated on open: offsets inside the data section, size = product(shape) * dtype size.
/// </summary>
public sealed class SafeTensorsFile : ITensorSource
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private readonly MappedFile _file;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly long _dataStart;

    private SafeTensorsFile(MappedFile file)
    {
        _file = file;
        ReadOnlySpan<byte> lengthBytes = file.Span(0, Math.Min(8, file.Length));
        if (lengthBytes.Length < 8)
        {
            throw new InvalidDataException($"{file.Path}: not a safetensors file (shorter than the 8-byte header length)");
        }
        long headerLength = BitConverter.ToInt64(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException($"{file.Path}: implausible safetensors header length {headerLength}; the file is not safetensors or is corrupt");
        }
        if (headerLength > file.Length - 8)
        {
            throw new InvalidDataException($"{file.Path}: truncated: the header claims {headerLength} bytes but the file has {file.Length - 8} after the length field");
        }
        _dataStart = 8 + headerLength;
        long dataLength = file.Length - _dataStart;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(file.Span(8, headerLength).ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file.Path}: the safetensors JSON header is invalid: {e.Message}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{file.Path}: the safetensors header must be a JSON object");
            }
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__")
                {
                    if (p.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (JsonProperty m in p.Value.EnumerateObject())
                        {
                            metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                        }
                    }
                    continue;
                }
                _entries[p.Name] = ParseEntry(file.Path, p.Name, p.Value, dataLength);
            }
            Metadata = metadata;
        }
        Names = _entries.Where(e => e.Value.DType is not null).Select(e => e.Key).ToArray();
    }

    /// <summary>The file path.</summary>
    public string Description => _file.Path;

    /// <summary>The header's "__metadata__" string map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names { get; }

    /// <summary>Every tensor name in the header, including tensors of unsupported dtypes.</summary>
    public IReadOnlyCollection<string> AllTensorNames => _entries.Keys;

    /// <summary>Maps and validates a .safetensors file.</summary>
    public static SafeTensorsFile Open(string path)
    {
        MappedFile file = MappedFile.Open(path);
        try
        {
            return new SafeTensorsFile(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <inheritdoc />
    public TensorInfo GetInfo(string name)
    {
        if (!_entries.TryGetValue(name, out Entry? e))
        {
            throw new KeyNotFoundException($"{_file.Path}: tensor '{name}' not found");
        }
        if (e.DType is null)
        {
            throw new NotSupportedException($"{_file.Path}: tensor '{name}' has dtype {e.DTypeText}; supported dtypes are F32, F16 and BF16");
        }
        return new TensorInfo(name, e.DType.Value, e.Shape, e.End - e.Begin);
    }

    /// <inheritdoc />
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        TensorInfo info = GetInfo(name);
        Entry e = _entries[name];
        return _file.Span(_dataStart + e.Begin, info.ByteLength);
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose() => _file.Dispose();

    private static Entry ParseEntry(string path, string name, JsonElement v, long dataLength)
    {
        try
        {
            string dtype = v.GetProperty("dtype").GetString() ?? "";
            long[] shape = v.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long[] offsets = v.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
            {
                throw new InvalidDataException($"{path}: tensor '{name}' has invalid data_offsets [{string.Join(", ", offsets)}]");
            }
            if (shape.Any(d => d < 0))
            {
                throw new InvalidDataException($"{path}: tensor '{name}' has a negative dimension in shape [{string.Join(", ", shape)}]");
            }
            if (offsets[1] > dataLength)
            {
                throw new InvalidDataException($"{path}: truncated: tensor '{name}' needs data bytes [{offsets[0]}, {offsets[1]}) but the file holds only {dataLength} bytes of tensor data");
            }
            TensorDType? t = dtype switch
            {
                "F32" => TensorDType.F32,
                "F16" => TensorDType.F16,
                "BF16" => TensorDType.BF16,
                _ => null,
            };
            int elementSize = dtype switch
            {
                "F32" or "I32" or "U32" => 4,
                "F16" or "BF16" or "I16" or "U16" => 2,
                "F64" or "I64" or "U64" => 8,
                "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
                _ => 0,
            };
            long elements = 1;
            foreach (long d in shape)
            {
                elements = checked(elements * d);
            }
            if (elementSize > 0 && offsets[1] - offsets[0] != elements * elementSize)
            {
                throw new InvalidDataException($"{path}: tensor '{name}' {dtype} [{string.Join(", ", shape)}] needs {elements * elementSize} bytes but data_offsets span {offsets[1] - offsets[0]}");
            }
            return new Entry(t, dtype, shape, offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: malformed header entry for tensor '{name}': {e.Message}", e);
        }
    }

    private sealed record Entry(TensorDType? DType, string DTypeText, long[] Shape, long Begin, long End);
}
