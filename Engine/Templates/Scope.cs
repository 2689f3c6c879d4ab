namespace LlmSuite.Engine.Templates;

/// <summary>
/// A variable frame. Jinja2 gives each for-loop iteration, macro call, <c>with</c> block and set-block body its own
/// frame whose parent is the enclosing one; <c>if</c> shares its frame. Frames hold few names, so they are small
/// arrays searched linearly (names are interned by the lexer, so the reference check usually hits).
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private string[]? _names;
    private object?[]? _values;
    private int _count;

    public Scope? Parent { get; } = parent;

    public bool TryGet(string name, out object? value)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            var i = s.IndexOf(name);
            if (i >= 0)
            {
                value = s._values![i];
                return true;
            }
        }

        value = null;
        return false;
    }

    private int IndexOf(string name)
    {
        var names = _names;
        for (var i = 0; i < _count; i++)
        {
            var n = names![i];
            if (ReferenceEquals(n, name) || (n.Length == name.Length && string.Equals(n, name, StringComparison.Ordinal)))
            {
                return i;
            }
        }

        return -1;
    }

    public void Set(string name, object? value)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _values![i] = value;
            return;
        }

        if (_names is null)
        {
            _names = new string[4];
            _values = new object?[4];
        }
        else if (_count == _names.Length)
        {
            Array.Resize(ref _names, _count * 2);
            Array.Resize(ref _values, _count * 2);
        }

        _names[_count] = name;
        _values![_count] = value;
        _count++;
    }
}
