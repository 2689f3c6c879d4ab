using LlmSuite.Gateway.LoadBalancing;

namespace LlmSuite.Gateway.Tests.LoadBalancing;

public sealed class PromptBlocksTests
{
    [Fact]
    public void Hash_SharedPrefix_SharesLeadingBlocksOnly()
    {
        var a = PromptBlocks.Hash(new string('a', 100) + "tail one", 32);
        var b = PromptBlocks.Hash(new string('a', 100) + "other tail", 32);
        Assert.Equal(a[..3], b[..3]);
        Assert.NotEqual(a[3], b[3]);
    }

    [Fact]
    public void Hash_SameBlockDifferentParent_Differs()
    {
        var a = PromptBlocks.Hash("0123456789abcdef" + "XXXXXXXXXXXXXXXX", 16);
        var b = PromptBlocks.Hash("fedcba9876543210" + "XXXXXXXXXXXXXXXX", 16);
        Assert.NotEqual(a[1], b[1]);
    }

    [Fact]
    public void Hash_BlockCharsZero_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => PromptBlocks.Hash("x", 0));

    [Fact]
    public void MatchedBlocks_AfterInsert_CountsLeadingBlocks()
    {
        var index = new PrefixIndex(TimeProvider.System, 100);
        var blocks = PromptBlocks.Hash(new string('q', 128), 32);
        index.Insert("r0", blocks.AsSpan(0, 2));
        Assert.Equal(2, index.MatchedBlocks("r0", blocks));
        Assert.Equal(0, index.MatchedBlocks("r1", blocks));
    }

    [Fact]
    public void Insert_OverCapacity_EvictsOldest()
    {
        var index = new PrefixIndex(TimeProvider.System, 10);
        for (var i = 0; i < 30; i++)
        {
            index.Insert("r0", [(ulong)i]);
        }
        Assert.True(index.Size("r0") <= 10);
        Assert.Equal(1, index.MatchedBlocks("r0", [29UL]));
    }
}
