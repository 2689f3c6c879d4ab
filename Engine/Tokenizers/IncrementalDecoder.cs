using System.Text;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// Streaming decode: feed token ids one at a time and get text deltas. A delta never ends inside a UTF-8 sequence
/// (incomplete bytes, e.g. half an emoji from byte-fallback or byte-level pieces, are held back until completed),
/// and the concatenation of all deltas plus <see cref="Flush"/> equals <see cref="Tokenizer.Decode"/> of all ids.
/// Not thread-safe: one instance per sequence.
/// </summary>
public sealed class IncrementalDecoder
{
    private readonly Tokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private byte[] _pending = new byte[64];
    private int _pendingCount;
    private int _stripRemaining;
    private bool _started;

    internal IncrementalDecoder(Tokenizer tokenizer, bool skipSpecialTokens)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
        _stripRemaining = tokenizer.Decoding.StripLeadingSpaces;
    }

    /// <summary>Adds one token and returns the text that became complete (possibly empty).</summary>
    public string Append(int tokenId)
    {
        AppendBytes(tokenId);
        return TakeComplete(final: false);
    }

    /// <summary>Adds several tokens and returns the text that became complete (possibly empty).</summary>
    public string Append(ReadOnlySpan<int> tokenIds)
    {
        foreach (var id in tokenIds)
        {
            AppendBytes(id);
        }
        return TakeComplete(final: false);
    }

    /// <summary>Returns any held-back bytes (invalid sequences become U+FFFD), e.g. at the end of generation.</summary>
    public string Flush() => TakeComplete(final: true);

    /// <summary>Starts a new stream.</summary>
    public void Reset()
    {
        _pendingCount = 0;
        _stripRemaining = _tokenizer.Decoding.StripLeadingSpaces;
        _started = false;
    }

    internal void AppendBytes(int tokenId)
    {
        var bytes = _tokenizer.GetTokenBytes(tokenId);
        if (_skipSpecialTokens && _tokenizer.IsSpecial(tokenId))
        {
            return;
        }
        var start = 0;
        while (!_started && _stripRemaining > 0 && start < bytes.Length && bytes[start] == (byte)' ')
        {
            start++;
            _stripRemaining--;
        }
        if (start < bytes.Length)
        {
            _started = true;
        }
        var count = bytes.Length - start;
        if (_pendingCount + count > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingCount + count));
        }
        bytes.AsSpan(start).CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += count;
    }

    internal string TakeComplete(bool final)
    {
        var pending = _pending.AsSpan(0, _pendingCount);
        var complete = final ? pending.Length : CompleteLength(pending);
        if (complete == 0)
        {
            return string.Empty;
        }
        var text = Encoding.UTF8.GetString(pending[..complete]);
        pending[complete..].CopyTo(_pending);
        _pendingCount -= complete;
        return text;
    }

    /// <summary>Length of the prefix that does not end inside a still-completable UTF-8 sequence.</summary>
    internal static int CompleteLength(ReadOnlySpan<byte> bytes)
    {
        for (var k = 1; k <= 3 && k <= bytes.Length; k++)
        {
            var b = bytes[^k];
            if ((b & 0xC0) == 0x80)
            {
                continue; // continuation byte: look further back for the lead byte
            }
            var needed = b switch
            {
                >= 0xC2 and <= 0xDF => 2,
                >= 0xE0 and <= 0xEF => 3,
                >= 0xF0 and <= 0xF4 => 4,
                _ => 1,
            };
            return needed > k ? bytes.Length - k : bytes.Length;
        }
        return bytes.Length;
    }
}
