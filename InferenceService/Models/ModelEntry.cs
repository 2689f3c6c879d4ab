namespace LlmSuite.InferenceService.Models;

/// <summary>A servable model found on disk: what <c>/v1/models</c> and <c>/api/tags</c> list.</summary>
/// <param name="Name">The name clients send as <c>model</c>.</param>
/// <param name="Path">A HF model directory or a .gguf file (an Ollama blob is a .gguf file without the extension).</param>
/// <param name="Format">"safetensors" or "gguf".</param>
/// <param name="SizeBytes">Bytes of weight files.</param>
/// <param name="ModifiedAt">Last write of the weights.</param>
/// <param name="IsDefault">The default model (loaded at startup, never unloaded).</param>
public sealed record ModelEntry(string Name, string Path, string Format, long SizeBytes, DateTimeOffset ModifiedAt, bool IsDefault)
{
    /// <summary>A stable digest of the path and size (Ollama lists one per model).</summary>
    public string Digest => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{Path}|{SizeBytes}|{ModifiedAt.ToUnixTimeSeconds()}")));
}
