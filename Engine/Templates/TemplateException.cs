namespace LlmSuite.Engine.Templates;

/// <summary>
/// Thrown while rendering: by the template's own <c>raise_exception(msg)</c> (then <see cref="Message"/> is the
/// template's message verbatim and <see cref="RaisedByTemplate"/> is true), or for runtime errors Jinja2 would raise
/// (undefined access, type errors, sandbox violations) with Jinja2-like wording.
/// </summary>
public sealed class TemplateException : Exception
{
    /// <summary>Creates a runtime error.</summary>
    public TemplateException(string message, bool raisedByTemplate = false) : base(message)
        => RaisedByTemplate = raisedByTemplate;

    /// <summary>True when the template called <c>raise_exception</c>.</summary>
    public bool RaisedByTemplate { get; }

    /// <summary>1-based template line of the node that failed, or 0 when unknown.</summary>
    public int Line { get; internal set; }
}
