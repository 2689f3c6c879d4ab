namespace LlmSuite.Engine.Formats.Gguf;

/// <summary>GGUF metadata value types (gguf.md gguf_metadata_value_type).</summary>
public enum GgufValueType : uint
{
    /// <summary>byte.</summary>
    UInt8 = 0,
    /// <summary>sbyte.</summary>
    Int8 = 1,
    /// <summary>ushort.</summary>
    UInt16 = 2,
    /// <summary>short.</summary>
    Int16 = 3,
    /// <summary>uint.</summary>
    UInt32 = 4,
    /// <summary>int.</summary>
    Int32 = 5,
    /// <summary>float.</summary>
    Float32 = 6,
    /// <summary>bool (one byte, 0 or 1).</summary>
    Bool = 7,
    /// <summary>UTF-8 string with a u64 length.</summary>
    String = 8,
    /// <summary>Typed array: element type u32, count u64, elements.</summary>
    Array = 9,
    /// <summary>ulong.</summary>
    UInt64 = 10,
    /// <summary>long.</summary>
    Int64 = 11,
    /// <summary>double.</summary>
    Float64 = 12,
}
