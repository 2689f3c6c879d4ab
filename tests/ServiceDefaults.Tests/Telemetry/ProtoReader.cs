namespace LlmSuite.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// A minimal protobuf wire-format reader (varint, 64-bit, length-delimited, 32-bit) to decode OTLP requests in tests
/// without generated code. A message is read into its fields; nested messages are decoded on demand.
/// </summary>
public sealed class ProtoMessage
{
    private readonly List<(int Field, int Wire, ulong Number, ReadOnlyMemory<byte> Bytes)> _fields = [];

    public ProtoMessage(ReadOnlyMemory<byte> data)
    {
        var span = data.Span;
        var pos = 0;
        while (pos < span.Length)
        {
            var key = ReadVarint(span, ref pos);
            var field = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    _fields.Add((field, wire, ReadVarint(span, ref pos), default));
                    break;
                case 1:
                    _fields.Add((field, wire, BitConverter.ToUInt64(span.Slice(pos, 8)), default));
                    pos += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(span, ref pos);
                    _fields.Add((field, wire, 0, data.Slice(pos, length)));
                    pos += length;
                    break;
                case 5:
                    _fields.Add((field, wire, BitConverter.ToUInt32(span.Slice(pos, 4)), default));
                    pos += 4;
                    break;
                default:
                    throw new InvalidDataException($"unsupported wire type {wire} at {pos}");
            }
        }
    }

    public IEnumerable<ProtoMessage> Messages(int field) => _fields.Where(f => f.Field == field && f.Wire == 2).Select(f => new ProtoMessage(f.Bytes));

    public ProtoMessage? Message(int field) => Messages(field).FirstOrDefault();

    public string? String(int field) => _fields.Where(f => f.Field == field && f.Wire == 2).Select(f => System.Text.Encoding.UTF8.GetString(f.Bytes.Span)).FirstOrDefault();

    public ulong? Number(int field) => _fields.Where(f => f.Field == field && f.Wire != 2).Select(f => (ulong?)f.Number).FirstOrDefault();

    public byte[]? Bytes(int field) => _fields.Where(f => f.Field == field && f.Wire == 2).Select(f => f.Bytes.ToArray()).FirstOrDefault();

    /// <summary>OTLP KeyValue list (field of KeyValue messages) as strings.</summary>
    public Dictionary<string, string> Attributes(int field)
    {
        var result = new Dictionary<string, string>();
        foreach (var kv in Messages(field))
        {
            var value = kv.Message(2);
            result[kv.String(1)!] = value is null ? "" : AnyValue(value);
        }
        return result;
    }

    /// <summary>OTLP AnyValue rendered as a string (string, bool, int, double).</summary>
    public static string AnyValue(ProtoMessage value)
        => value.String(1) ?? (value.Number(2) is { } b ? (b != 0).ToString() : value.Number(3) is { } i ? ((long)i).ToString() : value.Number(4) is { } d ? BitConverter.UInt64BitsToDouble(d).ToString() : "");

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int pos)
    {
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = span[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }
    }
}
