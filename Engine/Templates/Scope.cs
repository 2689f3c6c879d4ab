namespace LlmSuite.Engine.Templates;

/// <summary>
/// A variable frame. Jinja2 gives each for-loop iteration, macro call, <c>with</c> block and set-block body its own
/// frame whose parent is the enclosing one; <c>if</c> shares its frame. Dictionaries are allocated on first write.
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private Dictionary<string, object?>? _vars;

    public Scope? Parent { get; } = parent;

    public bool TryGet(string name, out object? value)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            if (s._vars is not null && s._vars.TryGetValue(name, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    public void Set(string name, object? value) => (_vars ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = value;
}
