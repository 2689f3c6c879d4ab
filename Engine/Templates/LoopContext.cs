namespace LlmSuite.Engine.Templates;

/// <summary>
/// Jinja2's <c>loop</c> object. Items come from a lazily filtered source so <c>loop.last</c>/<c>nextitem</c> peek
/// one item and <c>loop.length</c>/<c>revindex</c> drain the rest, exactly when Jinja2 would evaluate the
/// <c>for ... if</c> condition.
/// </summary>
internal sealed class LoopContext
{
    private readonly LoopSource _source;
    private readonly Func<object?, int, string>? _recurse;
    private object? _before = Missing;
    private object? _current = Missing;
    private object? _lastChanged = Missing;

    private static readonly object Missing = new();

    public LoopContext(LoopSource source, int depth0, Func<object?, int, string>? recurse)
    {
        _source = source;
        Depth0 = depth0;
        _recurse = recurse;
        Index0 = -1;
    }

    public int Index0 { get; private set; }

    public int Index => Index0 + 1;

    public int Depth0 { get; }

    public int Length => Index0 + 1 + _source.RemainingCount();

    /// <summary>Advances to the next item; false at the end.</summary>
    public bool MoveNext(out object? item)
    {
        if (!_source.TryNext(out item))
        {
            return false;
        }

        if (Index0 >= 0)
        {
            _before = _current;
        }

        _current = item;
        Index0++;
        return true;
    }

    public object? GetAttribute(string name)
    {
        switch (name)
        {
            case "index": return Boxes.Long(Index);
            case "index0": return Boxes.Long(Index0);
            case "length": return Boxes.Long(Length);
            case "revindex": return Boxes.Long(Length - Index0);
            case "revindex0": return Boxes.Long(Length - Index);
            case "first": return Boxes.Bool(Index0 == 0);
            case "last": return Boxes.Bool(!_source.Peek(out _));
            case "depth": return Boxes.Long(Depth0 + 1);
            case "depth0": return Boxes.Long(Depth0);
            case "previtem":
                return ReferenceEquals(_before, Missing) ? Undefined.WithHint("there is no previous item") : _before;
            case "nextitem":
                return _source.Peek(out var next) ? next : Undefined.WithHint("there is no next item");
            case "cycle":
                return new BuiltinFunction("cycle", (_, args) =>
                {
                    if (args.Count == 0)
                    {
                        throw new TemplateException("no items for cycling given");
                    }

                    return args.Positional[Index0 % args.Count];
                });
            case "changed":
                return new BuiltinFunction("changed", (_, args) =>
                {
                    var value = new PyTuple(args.Positional);
                    if (!ReferenceEquals(_lastChanged, Missing) && PyOps.Eq(_lastChanged, value))
                    {
                        return false;
                    }

                    _lastChanged = value;
                    return true;
                });
            default:
                return Undefined.ForMember(this, name);
        }
    }

    /// <summary><c>loop(items)</c> inside a <c>recursive</c> loop.</summary>
    public string Recurse(object? iterable)
    {
        if (_recurse is null)
        {
            throw new TemplateException("Tried to call non recursive loop. Maybe you forgot the 'recursive' modifier.");
        }

        return _recurse(iterable, Depth0 + 1);
    }
}

/// <summary>The items of a for loop, filtered lazily by the loop's <c>if</c> condition.</summary>
internal sealed class LoopSource(IReadOnlyList<object?> items, Func<object?, bool>? filter)
{
    private Queue<object?>? _buffer;
    private int _raw;

    private bool Pull(out object? item)
    {
        while (_raw < items.Count)
        {
            item = items[_raw++];
            if (filter is null || filter(item))
            {
                return true;
            }
        }

        item = null;
        return false;
    }

    public bool TryNext(out object? item) => (_buffer is not null && _buffer.TryDequeue(out item)) || Pull(out item);

    public bool Peek(out object? item)
    {
        if (_buffer is not null && _buffer.TryPeek(out item))
        {
            return true;
        }

        if (filter is null)
        {
            // Unfiltered: look at the backing list without consuming.
            if (_raw < items.Count)
            {
                item = items[_raw];
                return true;
            }

            item = null;
            return false;
        }

        if (Pull(out item))
        {
            (_buffer ??= new Queue<object?>()).Enqueue(item);
            return true;
        }

        return false;
    }

    public int RemainingCount()
    {
        if (filter is null)
        {
            return (_buffer?.Count ?? 0) + items.Count - _raw;
        }

        while (Pull(out var item))
        {
            (_buffer ??= new Queue<object?>()).Enqueue(item);
        }

        return _buffer?.Count ?? 0;
    }
}
