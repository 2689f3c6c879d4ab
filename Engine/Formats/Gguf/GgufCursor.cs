using System.Buffers.Binary;
using System.Text;

namespace LlmSuite.Engine.Formats.Gguf;

/// <summary>Bounds-checked little-endian reader over the GGUF header; running past the end is a clear error.</summary>
internal ref struct GgufCursor
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _path;

    public GgufCursor(ReadOnlySpan<byte> data, string path)
    {
        _data = data;
        _path = path;
        Position = 0;
    }

    public long Position { get; private set; }

    /// <summary>What is being read, for error messages.</summary>
    public string Context { get; set; } = "header";

    private ReadOnlySpan<byte> Take(long n)
    {
        if (n < 0 || Position > _data.Length - n)
        {
            throw new InvalidDataException($"{_path}: truncated GGUF: need {n} bytes at offset {Position} while reading {Context}, the file has {_data.Length}");
        }
        ReadOnlySpan<byte> s = _data.Slice((int)Position, (int)n);
        Position += n;
        return s;
    }

    public byte U8() => Take(1)[0];
    public sbyte I8() => (sbyte)Take(1)[0];
    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
    public short I16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));
    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
    public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    public float F32() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));
    public double F64() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public bool Bool()
    {
        byte b = U8();
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new InvalidDataException($"{_path}: invalid bool byte {b} at offset {Position - 1} while reading {Context}"),
        };
    }

    public string String()
    {
        ulong n = U64();
        if (n > (ulong)(_data.Length - Position))
        {
            throw new InvalidDataException($"{_path}: truncated GGUF: string of {n} bytes at offset {Position} while reading {Context} runs past the end of the file");
        }
        return Encoding.UTF8.GetString(Take((long)n));
    }

    /// <summary>An element count that must fit the rest of the file (each element takes at least <paramref name="minBytes"/>).</summary>
    public int Count(int minBytes)
    {
        ulong n = U64();
        if (n > int.MaxValue || n * (ulong)Math.Max(1, minBytes) > (ulong)(_data.Length - Position))
        {
            throw new InvalidDataException($"{_path}: implausible count {n} at offset {Position - 8} while reading {Context}; the file is truncated or corrupt");
        }
        return (int)n;
    }
}
