namespace LlmSuite.Engine.Templates;

/// <summary>
/// A Python iterator or dict view, as returned by Jinja2 filters that produce generators (<c>map</c>,
/// <c>select</c>, <c>selectattr</c>, <c>reject</c>, <c>rejectattr</c>, <c>unique</c>, <c>batch</c>, <c>items</c>,
/// <c>reverse</c>) and by <c>dict.items()/keys()/values()</c>. Generators are always truthy, have no
/// <c>len()</c>, cannot be indexed and are exhausted after one pass; views have a length and can be re-iterated.
/// Items are computed eagerly.
/// </summary>
internal sealed class PyIterator
{
    private readonly List<object?> _items;
    private bool _consumed;

    private PyIterator(string typeName, List<object?> items, bool isView)
    {
        TypeName = typeName;
        _items = items;
        IsView = isView;
    }

    /// <summary>Python type name: <c>generator</c>, <c>list_reverseiterator</c>, <c>dict_items</c>, ...</summary>
    public string TypeName { get; }

    /// <summary>True for dict views (sized, re-iterable, truthy when non-empty).</summary>
    public bool IsView { get; }

    public int ViewCount => _items.Count;

    public static PyIterator Generator(List<object?> items, string typeName = "generator") => new(typeName, items, isView: false);

    public static PyIterator View(string typeName, List<object?> items) => new(typeName, items, isView: true);

    /// <summary>The remaining items; a generator yields nothing on a second pass.</summary>
    public IReadOnlyList<object?> Consume()
    {
        if (IsView)
        {
            return _items;
        }

        if (_consumed)
        {
            return [];
        }

        _consumed = true;
        return _items;
    }

    /// <summary>Items without consuming (for repr of views).</summary>
    public IReadOnlyList<object?> Peek() => _items;
}
