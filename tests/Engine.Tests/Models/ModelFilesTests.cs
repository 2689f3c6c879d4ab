using LlmSuite.Engine.Models;
using LlmSuite.Engine.Tests.Formats;

namespace LlmSuite.Engine.Tests.Models;

public class ModelFilesTests
{
    [Fact]
    public void ForDirectory_StringChatTemplate_IsRead()
    {
        string dir = TestFiles.TempDir();
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """{"chat_template": "{{ messages[0]['content'] }}", "eos_token": "</s>"}""");
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{}");
        ModelFiles f = ModelFiles.ForDirectory(dir);
        Assert.Equal("{{ messages[0]['content'] }}", f.ChatTemplate);
        Assert.Equal(Path.Combine(dir, "tokenizer.json"), f.TokenizerJsonPath);
        Assert.Equal(Path.Combine(dir, "tokenizer_config.json"), f.TokenizerConfigPath);
        Assert.Null(f.Generation);
    }

    [Fact]
    public void ForDirectory_TemplateList_PicksDefault()
    {
        string dir = TestFiles.TempDir();
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """{"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}]}""");
        Assert.Equal("D", ModelFiles.ForDirectory(dir).ChatTemplate);
    }

    [Fact]
    public void ForDirectory_JinjaFile_UsedWhenConfigHasNoTemplate()
    {
        string dir = TestFiles.TempDir();
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "{}");
        File.WriteAllText(Path.Combine(dir, "chat_template.jinja"), "J");
        Assert.Equal("J", ModelFiles.ForDirectory(dir).ChatTemplate);
    }

    [Fact]
    public void ForDirectory_NoSideFiles_AllNull()
    {
        ModelFiles f = ModelFiles.ForDirectory(TestFiles.TempDir());
        Assert.Null(f.ChatTemplate);
        Assert.Null(f.TokenizerJsonPath);
        Assert.Equal(ModelFormat.HuggingFace, f.Format);
    }
}
