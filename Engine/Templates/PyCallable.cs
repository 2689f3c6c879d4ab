namespace LlmSuite.Engine.Templates;

/// <summary>Anything a template can call: globals, bound methods, macros, <c>loop</c>, <c>caller</c>.</summary>
internal abstract class PyCallable
{
    public abstract string Name { get; }

    public abstract object? Call(Interpreter interp, CallArgs args);
}

/// <summary>A builtin function implemented in C#.</summary>
internal sealed class BuiltinFunction(string name, Func<Interpreter, CallArgs, object?> impl) : PyCallable
{
    public override string Name => name;

    public override object? Call(Interpreter interp, CallArgs args) => impl(interp, args);
}

/// <summary>A Python method bound to a str/list/dict receiver (<c>"a".upper</c>, <c>d.items</c>).</summary>
internal sealed class BoundMethod(object receiver, string name) : PyCallable
{
    public object Receiver => receiver;

    public override string Name => name;

    public override object? Call(Interpreter interp, CallArgs args) => Methods.Call(receiver, name, args);
}
