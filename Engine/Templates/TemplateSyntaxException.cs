namespace LlmSuite.Engine.Templates;

/// <summary>
/// Thrown when a template cannot be tokenized or parsed. <see cref="Line"/> and <see cref="Column"/> are 1-based
/// positions in the template source (after Jinja's newline normalization).
/// </summary>
public sealed class TemplateSyntaxException : Exception
{
    /// <summary>Creates the exception; the message is suffixed with the position.</summary>
    public TemplateSyntaxException(string reason, int line, int column)
        : base($"{reason} (line {line}, column {column})")
    {
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>The error without the position suffix, worded like Jinja2's where practical.</summary>
    public string Reason { get; }

    /// <summary>1-based line of the offending token.</summary>
    public int Line { get; }

    /// <summary>1-based column of the offending token.</summary>
    public int Column { get; }
}
