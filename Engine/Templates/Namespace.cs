namespace LlmSuite.Engine.Templates;

/// <summary>Jinja2's <c>namespace()</c>: a bag of attributes assignable with <c>{% set ns.attr = v %}</c>.</summary>
internal sealed class Namespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
