namespace LlmSuite.Engine.Templates;

/// <summary>
/// Jinja2's default <c>Undefined</c>: renders as empty, is falsy, iterates as empty, has length 0, equals only
/// another undefined; arithmetic, attribute/item access and calls raise a <see cref="TemplateException"/> with
/// Jinja2's message (<c>'x' is undefined</c>, <c>'dict object' has no attribute 'y'</c>, ...).
/// </summary>
internal sealed class Undefined
{
    private static readonly object Missing = new();

    /// <summary>An undefined with no name (e.g. an <c>if</c> expression without <c>else</c>).</summary>
    internal static readonly Undefined Instance = new(null, Missing, null);

    private readonly string? _hint;
    private readonly object? _obj;
    private readonly object? _name;

    private Undefined(string? hint, object? obj, object? name)
    {
        _hint = hint;
        _obj = obj;
        _name = name;
    }

    /// <summary>A variable that is not defined.</summary>
    internal static Undefined ForName(string name) => new(null, Missing, name);

    /// <summary>A missing attribute or item of <paramref name="obj"/>.</summary>
    internal static Undefined ForMember(object? obj, object? name) => new(null, obj, name);

    /// <summary>An undefined with an explicit message.</summary>
    internal static Undefined WithHint(string hint) => new(hint, Missing, null);

    /// <summary>Jinja2's <c>_undefined_message</c>.</summary>
    internal string Message
    {
        get
        {
            if (_hint is not null)
            {
                return _hint;
            }

            if (ReferenceEquals(_obj, Missing))
            {
                return _name is null ? "undefined value" : $"{PyRepr.Repr(_name)} is undefined";
            }

            if (_name is not string)
            {
                return $"{PyRepr.ObjectTypeRepr(_obj)} has no element {PyRepr.Repr(_name)}";
            }

            return $"{PyRepr.Repr(PyRepr.ObjectTypeRepr(_obj))} has no attribute {PyRepr.Repr(_name)}";
        }
    }

    /// <summary>The error Jinja2 raises when an undefined value is used in an operation.</summary>
    internal TemplateException Fail() => new(Message);

    /// <inheritdoc/>
    public override string ToString() => "";
}
