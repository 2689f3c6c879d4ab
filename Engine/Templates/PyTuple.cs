namespace LlmSuite.Engine.Templates;

/// <summary>An immutable Python tuple (from tuple literals, <c>dict.items()</c>, <c>loop</c> unpacking).</summary>
internal sealed class PyTuple(object?[] items)
{
    public static readonly PyTuple Empty = new([]);

    public object?[] Items { get; } = items;

    public int Count => Items.Length;
}
