namespace LlmSuite.Engine.Sampling.Constraints;

/// <summary>
/// Incremental recognizer of a JSON object over UTF-8 bytes: a small pushdown automaton (objects, arrays, strings with
/// escapes and \u, numbers, true / false / null) whose stack is a bit set, so a copy is a plain struct copy. The top
/// level must be an object. Runs of whitespace are limited to <see cref="MaxWhitespaceRun"/> bytes and nesting to
/// <see cref="MaxDepth"/> levels, so a constrained model cannot loop on whitespace. After the top-level object closes
/// (<see cref="IsComplete"/>) every further byte is rejected.
/// </summary>
public struct JsonRecognizer
{
    /// <summary>Longest run of whitespace bytes accepted between tokens.</summary>
    public const int MaxWhitespaceRun = 4;

    /// <summary>Deepest nesting of objects and arrays accepted.</summary>
    public const int MaxDepth = 64;

    private enum Mode : byte
    {
        Start,            // before the top-level '{'
        KeyOrEnd,         // after '{': '"' or '}'
        Key,              // after ',' in an object: '"'
        Colon,            // after a key: ':'
        Value,            // after ':' or ',' in an array: any value
        ValueOrEnd,       // after '[': any value or ']'
        CommaOrEnd,       // after a value inside a container: ',' or the closing bracket
        String,           // inside a string
        Escape,           // after '\'
        Unicode,          // inside \uXXXX (_aux hex digits left)
        Utf8,             // inside a multi-byte UTF-8 sequence (_aux continuation bytes left)
        Number,           // inside a number (_aux: NumberState)
        Literal,          // inside true / false / null (_aux: index into Literals)
        Done,             // the top-level object is closed
    }

    // number sub-states; the ones marked * may end the number
    private const byte NumMinus = 0, NumZero = 1 /*\*/, NumInt = 2 /***/, NumDot = 3, NumFrac = 4 /***/, NumExp = 5, NumExpSign = 6, NumExpDigits = 7 /***/;

    private static ReadOnlySpan<byte> Literals => "true\0false\0null\0"u8;

    private ulong _stack;   // bit d set: level d is an array (else an object)
    private byte _depth;
    private Mode _mode;
    private byte _aux;
    private byte _whitespace;
    private bool _inKey;

    /// <summary>True once the top-level object has been closed.</summary>
    public readonly bool IsComplete => _mode == Mode.Done;

    /// <summary>Current nesting depth (0 before the top-level '{' and after it closes).</summary>
    public readonly int Depth => _depth;

    /// <summary>
    /// The fewest bytes that complete the object from here (0 when complete): the open string, a missing key / colon /
    /// value, an unfinished number or literal, then one closing bracket per open level.
    /// </summary>
    public readonly int BytesToComplete
    {
        get
        {
            var stringClose = 1 + (_inKey ? 2 : 0);   // '"', then ":0" after a key
            return _mode switch
            {
                Mode.Done => 0,
                Mode.Start => 2,
                Mode.KeyOrEnd or Mode.ValueOrEnd or Mode.CommaOrEnd => _depth,
                Mode.Key => 4 + _depth,               // "":0
                Mode.Colon => 2 + _depth,             // :0
                Mode.Value => 1 + _depth,             // 0
                Mode.String => stringClose + _depth,
                Mode.Escape => 1 + stringClose + _depth,
                Mode.Unicode or Mode.Utf8 => _aux + stringClose + _depth,
                Mode.Number => (_aux is NumMinus or NumDot or NumExp or NumExpSign ? 1 : 0) + _depth,
                _ => Literals[_aux..].IndexOf((byte)0) + _depth,   // Literal
            };
        }
    }

    /// <summary>Feeds every byte; false (state then unspecified: work on a copy) when the text stops being a JSON-object prefix.</summary>
    public bool Push(ReadOnlySpan<byte> utf8)
    {
        foreach (var b in utf8)
        {
            if (!Push(b))
                return false;
        }
        return true;
    }

    /// <summary>Feeds one byte; false (state then unspecified) when the text stops being a JSON-object prefix.</summary>
    public bool Push(byte b)
    {
        switch (_mode)
        {
            case Mode.String:
                if (b == (byte)'"')
                {
                    _mode = _inKey ? Mode.Colon : Mode.CommaOrEnd;
                    _inKey = false;
                    return true;
                }
                if (b == (byte)'\\')
                {
                    _mode = Mode.Escape;
                    return true;
                }
                if (b < 0x20)
                    return false;
                if (b < 0x80)
                    return true;
                return StartUtf8(b);
            case Mode.Escape:
                if (b == (byte)'u')
                {
                    (_mode, _aux) = (Mode.Unicode, 4);
                    return true;
                }
                _mode = Mode.String;
                return b is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t';
            case Mode.Unicode:
                if (!char.IsAsciiHexDigit((char)b))
                    return false;
                if (--_aux == 0)
                    _mode = Mode.String;
                return true;
            case Mode.Utf8:
                if ((b & 0xC0) != 0x80)
                    return false;
                if (--_aux == 0)
                    _mode = Mode.String;
                return true;
            case Mode.Number:
                return PushNumber(b);
            case Mode.Literal:
                {
                    var expected = Literals[_aux];
                    if (b != expected)
                        return false;
                    _aux++;
                    if (Literals[_aux] == 0)
                        _mode = Mode.CommaOrEnd;
                    return true;
                }
            case Mode.Done:
                return false;
        }

        // structural modes: whitespace, then the mode's own tokens
        if (b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            return ++_whitespace <= MaxWhitespaceRun;
        _whitespace = 0;
        switch (_mode)
        {
            case Mode.Start:
                return b == (byte)'{' && Open(array: false);
            case Mode.KeyOrEnd:
                if (b == (byte)'}')
                    return Close(array: false);
                goto case Mode.Key;
            case Mode.Key:
                if (b != (byte)'"')
                    return false;
                (_mode, _inKey) = (Mode.String, true);
                return true;
            case Mode.Colon:
                if (b != (byte)':')
                    return false;
                _mode = Mode.Value;
                return true;
            case Mode.ValueOrEnd:
                if (b == (byte)']')
                    return Close(array: true);
                goto case Mode.Value;
            case Mode.Value:
                return StartValue(b);
            case Mode.CommaOrEnd:
                {
                    var array = IsArray;
                    if (b == (byte)',')
                    {
                        _mode = array ? Mode.Value : Mode.Key;
                        return true;
                    }
                    return b == (array ? (byte)']' : (byte)'}') && Close(array);
                }
            default:
                return false;
        }
    }

    private readonly bool IsArray => ((_stack >> (_depth - 1)) & 1) != 0;

    private bool StartValue(byte b)
    {
        switch (b)
        {
            case (byte)'{':
                return Open(array: false);
            case (byte)'[':
                return Open(array: true);
            case (byte)'"':
                (_mode, _inKey) = (Mode.String, false);
                return true;
            case (byte)'-':
                (_mode, _aux) = (Mode.Number, NumMinus);
                return true;
            case (byte)'0':
                (_mode, _aux) = (Mode.Number, NumZero);
                return true;
            case >= (byte)'1' and <= (byte)'9':
                (_mode, _aux) = (Mode.Number, NumInt);
                return true;
            case (byte)'t':
                (_mode, _aux) = (Mode.Literal, 1);
                return true;
            case (byte)'f':
                (_mode, _aux) = (Mode.Literal, 6);
                return true;
            case (byte)'n':
                (_mode, _aux) = (Mode.Literal, 12);
                return true;
            default:
                return false;
        }
    }

    private bool PushNumber(byte b)
    {
        var digit = b is >= (byte)'0' and <= (byte)'9';
        switch (_aux)
        {
            case NumMinus:
                if (!digit)
                    return false;
                _aux = b == (byte)'0' ? NumZero : NumInt;
                return true;
            case NumZero:
            case NumInt:
                if (digit && _aux == NumInt)
                    return true;
                if (b == (byte)'.')
                {
                    _aux = NumDot;
                    return true;
                }
                if (b is (byte)'e' or (byte)'E')
                {
                    _aux = NumExp;
                    return true;
                }
                return EndNumber(b);
            case NumDot:
                _aux = NumFrac;
                return digit;
            case NumFrac:
                if (digit)
                    return true;
                if (b is (byte)'e' or (byte)'E')
                {
                    _aux = NumExp;
                    return true;
                }
                return EndNumber(b);
            case NumExp:
                if (b is (byte)'+' or (byte)'-')
                {
                    _aux = NumExpSign;
                    return true;
                }
                _aux = NumExpDigits;
                return digit;
            case NumExpSign:
                _aux = NumExpDigits;
                return digit;
            default: // NumExpDigits
                return digit || EndNumber(b);
        }
    }

    /// <summary>A complete number followed by <paramref name="b"/>: the number is a value, <paramref name="b"/> comes after it.</summary>
    private bool EndNumber(byte b)
    {
        _mode = Mode.CommaOrEnd;
        return Push(b);
    }

    private bool StartUtf8(byte b)
    {
        // lead bytes: 110xxxxx (C2..DF), 1110xxxx (E0..EF), 11110xxx (F0..F4); C0, C1, F5.. and continuations are invalid
        if (b is >= 0xC2 and <= 0xDF)
            _aux = 1;
        else if (b is >= 0xE0 and <= 0xEF)
            _aux = 2;
        else if (b is >= 0xF0 and <= 0xF4)
            _aux = 3;
        else
            return false;
        _mode = Mode.Utf8;
        return true;
    }

    private bool Open(bool array)
    {
        if (_depth >= MaxDepth)
            return false;
        if (array)
            _stack |= 1UL << _depth;
        else
            _stack &= ~(1UL << _depth);
        _depth++;
        _mode = array ? Mode.ValueOrEnd : Mode.KeyOrEnd;
        return true;
    }

    private bool Close(bool array)
    {
        if (_depth == 0 || IsArray != array)
            return false;
        _depth--;
        _mode = _depth == 0 ? Mode.Done : Mode.CommaOrEnd;
        return true;
    }
}
