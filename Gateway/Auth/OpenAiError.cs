namespace LlmSuite.Gateway.Auth;

/// <summary>Writes errors in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public static class OpenAiError
{
    /// <summary>Writes <paramref name="status"/> with an OpenAI error body.</summary>
    public static Task WriteAsync(HttpContext context, int status, string message, string type, string code)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new
        {
            error = new { message, type, param = (string?)null, code },
        });
    }
}
