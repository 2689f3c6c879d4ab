using System.Buffers.Binary;
using System.Text;

namespace LlmSuite.Gateway.Caching;

/// <summary>A stored answer: content type and body bytes (for a stream, the whole SSE/NDJSON stream as it was sent).</summary>
/// <param name="ContentType">The response's Content-Type.</param>
/// <param name="Body">The response body.</param>
public sealed record CachedResponse(string ContentType, byte[] Body)
{
    /// <summary>Serialized as [int32 length of content type][content type UTF-8][body].</summary>
    public byte[] Serialize()
    {
        var type = Encoding.UTF8.GetBytes(ContentType);
        var bytes = new byte[4 + type.Length + Body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, type.Length);
        type.CopyTo(bytes, 4);
        Body.CopyTo(bytes, 4 + type.Length);
        return bytes;
    }

    /// <summary>Reads <see cref="Serialize"/>'s format; null when malformed.</summary>
    public static CachedResponse? Deserialize(byte[]? bytes)
    {
        if (bytes is null || bytes.Length < 4)
        {
            return null;
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (length < 0 || 4 + length > bytes.Length)
        {
            return null;
        }
        return new CachedResponse(Encoding.UTF8.GetString(bytes, 4, length), bytes[(4 + length)..]);
    }
}
