namespace LlmSuite.Engine.Formats.Gguf;

/// <summary>
/// A memory-mapped GGUF file (versions 2 and 3): magic "GGUF", version, tensor count, metadata KV (all value types
/// including nested arrays), tensor infos (name, dims innermost-first, ggml type, offset), then tensor data aligned to
/// general.alignment (default 32). Tensor byte spans are zero-copy views into the mapping.
/// </summary>
public sealed class GgufFile : ITensorSource
{
    /// <summary>"GGUF" as a little-endian u32.</summary>
    public const uint Magic = 0x46554747;

    /// <summary>Default data alignment when general.alignment is absent.</summary>
    public const int DefaultAlignment = 32;

    private readonly MappedFile _file;
    private readonly Dictionary<string, GgufTensorEntry> _tensors = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    private GgufFile(MappedFile file)
    {
        _file = file;
        var c = new GgufCursor(file.Span(0, Math.Min(file.Length, int.MaxValue)), file.Path);
        c.Context = "magic";
        uint magic = c.U32();
        if (magic != Magic)
        {
            throw new InvalidDataException($"{file.Path}: not a GGUF file (magic 0x{magic:X8}, expected 'GGUF')");
        }
        c.Context = "version";
        Version = c.U32();
        if (Version is not (2 or 3))
        {
            throw new NotSupportedException($"{file.Path}: GGUF version {Version} is not supported (supported: 2, 3)");
        }
        c.Context = "tensor count";
        int tensorCount = c.Count(24);
        c.Context = "metadata count";
        int kvCount = c.Count(13);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        for (int i = 0; i < kvCount; i++)
        {
            c.Context = $"metadata key #{i}";
            string key = c.String();
            c.Context = $"metadata '{key}'";
            values[key] = ReadValue(ref c, (GgufValueType)c.U32(), key, depth: 0);
        }
        Metadata = new GgufMetadata(values, file.Path);
        long alignment = Metadata.GetInteger("general.alignment") ?? DefaultAlignment;
        if (alignment <= 0 || alignment > 1 << 20 || (alignment & (alignment - 1)) != 0)
        {
            throw new InvalidDataException($"{file.Path}: general.alignment = {alignment} must be a power of two");
        }
        Alignment = (int)alignment;

        var infos = new List<(string Name, long[] Dims, uint Type, ulong Offset)>(tensorCount);
        for (int i = 0; i < tensorCount; i++)
        {
            c.Context = $"tensor info #{i}";
            string name = c.String();
            c.Context = $"tensor info '{name}'";
            uint nDims = c.U32();
            if (nDims is 0 or > 4)
            {
                throw new InvalidDataException($"{file.Path}: tensor '{name}' has {nDims} dimensions (1 to 4 allowed)");
            }
            long[] dims = new long[nDims];
            for (int d = 0; d < nDims; d++)
            {
                ulong v = c.U64();
                if (v > int.MaxValue)
                {
                    throw new InvalidDataException($"{file.Path}: tensor '{name}' dimension {d} = {v} is implausible");
                }
                dims[d] = (long)v;
            }
            infos.Add((name, dims, c.U32(), c.U64()));
        }
        DataOffset = (c.Position + Alignment - 1) / Alignment * Alignment;
        foreach ((string name, long[] dims, uint type, ulong offset) in infos)
        {
            _tensors[name] = MakeEntry(name, dims, type, offset);
            _order.Add(name);
        }
        Names = _order.Where(n => _tensors[n].DType is not null).ToArray();
    }

    /// <summary>The file path.</summary>
    public string Description => _file.Path;

    /// <summary>GGUF version (2 or 3).</summary>
    public uint Version { get; }

    /// <summary>Tensor data alignment (general.alignment or 32).</summary>
    public int Alignment { get; }

    /// <summary>File offset where tensor data starts.</summary>
    public long DataOffset { get; }

    /// <summary>All metadata.</summary>
    public GgufMetadata Metadata { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names { get; }

    /// <summary>All tensor names in file order (including unsupported types).</summary>
    public IReadOnlyList<string> AllTensorNames => _order;

    /// <summary>Maps and parses a GGUF file.</summary>
    public static GgufFile Open(string path)
    {
        MappedFile file = MappedFile.Open(path);
        try
        {
            return new GgufFile(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>The ggml type id of a tensor.</summary>
    public uint GetGgmlType(string name) => Entry(name).GgmlType;

    /// <inheritdoc />
    public TensorInfo GetInfo(string name)
    {
        GgufTensorEntry e = Entry(name);
        if (e.DType is null)
        {
            throw new NotSupportedException($"{_file.Path}: tensor '{name}' has type {GgmlTypes.Name(e.GgmlType)}; supported types are F32, F16, BF16, Q8_0, Q4_0, Q4_K and Q6_K");
        }
        return new TensorInfo(name, e.DType.Value, e.Shape, e.ByteLength);
    }

    /// <inheritdoc />
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        TensorInfo info = GetInfo(name);
        return _file.Span(DataOffset + _tensors[name].Offset, info.ByteLength);
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose() => _file.Dispose();

    private GgufTensorEntry Entry(string name) =>
        _tensors.TryGetValue(name, out GgufTensorEntry? e) ? e : throw new KeyNotFoundException($"{_file.Path}: tensor '{name}' not found");

    private GgufTensorEntry MakeEntry(string name, long[] dims, uint type, ulong offset)
    {
        long[] shape = dims.Reverse().ToArray();   // outermost first
        TensorDType? dtype = GgmlTypes.ToDType(type);
        if (offset % (ulong)Alignment != 0)
        {
            throw new InvalidDataException($"{_file.Path}: tensor '{name}' data offset {offset} is not a multiple of the alignment {Alignment}");
        }
        long bytes = 0;
        if (dtype is TensorDType t)
        {
            int block = TensorDTypeInfo.BlockSize(t);
            if (dims[0] % block != 0)
            {
                throw new InvalidDataException($"{_file.Path}: tensor '{name}' of type {t} has a row of {dims[0]} values, not a multiple of its block size {block}");
            }
            long elements = 1;
            foreach (long d in dims)
            {
                elements = checked(elements * d);
            }
            bytes = TensorDTypeInfo.ByteLength(t, elements);
            if (offset > (ulong)long.MaxValue || DataOffset + (long)offset > _file.Length - bytes)
            {
                throw new InvalidDataException($"{_file.Path}: truncated: tensor '{name}' ({t} [{string.Join(", ", shape)}]) needs bytes [{DataOffset + (long)offset}, {DataOffset + (long)offset + bytes}) but the file has {_file.Length}");
            }
        }
        return new GgufTensorEntry(dtype, type, shape, (long)offset, bytes);
    }

    private object ReadValue(ref GgufCursor c, GgufValueType type, string key, int depth)
    {
        switch (type)
        {
            case GgufValueType.UInt8: return c.U8();
            case GgufValueType.Int8: return c.I8();
            case GgufValueType.UInt16: return c.U16();
            case GgufValueType.Int16: return c.I16();
            case GgufValueType.UInt32: return c.U32();
            case GgufValueType.Int32: return c.I32();
            case GgufValueType.Float32: return c.F32();
            case GgufValueType.Bool: return c.Bool();
            case GgufValueType.String: return c.String();
            case GgufValueType.UInt64: return c.U64();
            case GgufValueType.Int64: return c.I64();
            case GgufValueType.Float64: return c.F64();
            case GgufValueType.Array:
                if (depth > 8)
                {
                    throw new InvalidDataException($"{_file.Path}: metadata '{key}' nests arrays too deeply");
                }
                var elementType = (GgufValueType)c.U32();
                return ReadArray(ref c, elementType, key, depth);
            default:
                throw new InvalidDataException($"{_file.Path}: metadata '{key}' has unknown value type {(uint)type}");
        }
    }

    private object ReadArray(ref GgufCursor c, GgufValueType t, string key, int depth)
    {
        int minBytes = t switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            GgufValueType.Array => 12,
            _ => 8,
        };
        int n = c.Count(minBytes);
        switch (t)
        {
            case GgufValueType.UInt8: return Fill(n, ref c, static (ref GgufCursor x) => x.U8());
            case GgufValueType.Int8: return Fill(n, ref c, static (ref GgufCursor x) => x.I8());
            case GgufValueType.UInt16: return Fill(n, ref c, static (ref GgufCursor x) => x.U16());
            case GgufValueType.Int16: return Fill(n, ref c, static (ref GgufCursor x) => x.I16());
            case GgufValueType.UInt32: return Fill(n, ref c, static (ref GgufCursor x) => x.U32());
            case GgufValueType.Int32: return Fill(n, ref c, static (ref GgufCursor x) => x.I32());
            case GgufValueType.Float32: return Fill(n, ref c, static (ref GgufCursor x) => x.F32());
            case GgufValueType.Bool: return Fill(n, ref c, static (ref GgufCursor x) => x.Bool());
            case GgufValueType.String: return Fill(n, ref c, static (ref GgufCursor x) => x.String());
            case GgufValueType.UInt64: return Fill(n, ref c, static (ref GgufCursor x) => x.U64());
            case GgufValueType.Int64: return Fill(n, ref c, static (ref GgufCursor x) => x.I64());
            case GgufValueType.Float64: return Fill(n, ref c, static (ref GgufCursor x) => x.F64());
            case GgufValueType.Array:
                object[] items = new object[n];
                for (int i = 0; i < n; i++)
                {
                    items[i] = ReadValue(ref c, GgufValueType.Array, key, depth + 1);
                }
                return items;
            default:
                throw new InvalidDataException($"{_file.Path}: metadata '{key}' is an array of unknown type {(uint)t}");
        }
    }

    private delegate T ReadOne<T>(ref GgufCursor c);

    private static T[] Fill<T>(int n, ref GgufCursor c, ReadOne<T> read)
    {
        var a = new T[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = read(ref c);
        }
        return a;
    }

    private sealed record GgufTensorEntry(TensorDType? DType, uint GgmlType, long[] Shape, long Offset, long ByteLength);
}
