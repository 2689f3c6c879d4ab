using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace LlmSuite.Engine.Tests.Formats;

/// <summary>Test-data paths and small writers that build (possibly broken) safetensors and GGUF files.</summary>
internal static class TestFiles
{
    public static string Data(params string[] parts) => Path.Combine(new[] { AppContext.BaseDirectory, "TestData" }.Concat(parts).ToArray());

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "llmsuite-models-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes a safetensors file from (name, dtype, shape, bytes); <paramref name="fixup"/> may edit header entries.</summary>
    public static void WriteSafeTensors(string path, IEnumerable<(string Name, string DType, long[] Shape, byte[] Data)> tensors, Action<Dictionary<string, object>>? fixup = null)
    {
        var header = new Dictionary<string, object>();
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, dtype, shape, data) in tensors)
        {
            header[name] = new Dictionary<string, object> { ["dtype"] = dtype, ["shape"] = shape, ["data_offsets"] = new[] { offset, offset + data.Length } };
            blobs.Add(data);
            offset += data.Length;
        }
        fixup?.Invoke(header);
        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var f = File.Create(path);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(len, json.Length);
        f.Write(len);
        f.Write(json);
        foreach (byte[] b in blobs)
        {
            f.Write(b);
        }
    }

    public static byte[] Floats(params float[] v)
    {
        byte[] b = new byte[v.Length * 4];
        Buffer.BlockCopy(v, 0, b, 0, b.Length);
        return b;
    }

    public static void Truncate(string source, string destination, long dropBytes)
    {
        byte[] all = File.ReadAllBytes(source);
        File.WriteAllBytes(destination, all.AsSpan(0, (int)(all.Length - dropBytes)).ToArray());
    }

    /// <summary>A minimal GGUF writer for crafted files (string/u32 metadata, tensors with raw bytes and a ggml type id).</summary>
    public sealed class GgufBuilder
    {
        private readonly List<(string Key, uint Type, byte[] Value)> _kv = new();
        private readonly List<(string Name, long[] ShapeOuterFirst, uint Type, byte[] Data)> _tensors = new();

        public uint Version { get; set; } = 3;

        public GgufBuilder String(string key, string value)
        {
            _kv.Add((key, 8, Str(value)));
            return this;
        }

        public GgufBuilder U32(string key, uint value)
        {
            byte[] b = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, value);
            _kv.Add((key, 4, b));
            return this;
        }

        public GgufBuilder F32(string key, float value)
        {
            byte[] b = new byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(b, value);
            _kv.Add((key, 6, b));
            return this;
        }

        public GgufBuilder Tensor(string name, long[] shapeOuterFirst, uint ggmlType, byte[] data)
        {
            _tensors.Add((name, shapeOuterFirst, ggmlType, data));
            return this;
        }

        public byte[] Build()
        {
            var o = new MemoryStream();
            var w = new BinaryWriter(o);
            w.Write(0x46554747u);
            w.Write(Version);
            w.Write((ulong)_tensors.Count);
            w.Write((ulong)_kv.Count);
            foreach (var (key, type, value) in _kv)
            {
                w.Write(Str(key));
                w.Write(type);
                w.Write(value);
            }
            long offset = 0;
            foreach (var (name, shape, type, data) in _tensors)
            {
                w.Write(Str(name));
                w.Write((uint)shape.Length);
                foreach (long d in shape.Reverse())
                {
                    w.Write((ulong)d);
                }
                w.Write(type);
                w.Write((ulong)offset);
                offset += (data.Length + 31) / 32 * 32;
            }
            w.Flush();
            while (o.Length % 32 != 0)
            {
                o.WriteByte(0);
            }
            foreach (var t in _tensors)
            {
                o.Write(t.Data);
                while (o.Length % 32 != 0)
                {
                    o.WriteByte(0);
                }
            }
            return o.ToArray();
        }

        private static byte[] Str(string s)
        {
            byte[] b = Encoding.UTF8.GetBytes(s);
            byte[] r = new byte[8 + b.Length];
            BinaryPrimitives.WriteUInt64LittleEndian(r, (ulong)b.Length);
            b.CopyTo(r, 8);
            return r;
        }
    }
}
