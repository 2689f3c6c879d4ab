using LlmSuite.Engine.Sampling;

namespace LlmSuite.Engine.Tests.Sampling;

public class StopStringMatcherTests
{
    private static (string Output, bool Stopped, string? Matched) Run(StopStringMatcher matcher, params string[] deltas)
    {
        var output = "";
        foreach (var delta in deltas)
        {
            var m = matcher.Push(delta);
            output += m.Emit;
            if (m.Stopped)
                return (output, true, m.MatchedStop);
        }
        return (output + matcher.Flush(), false, null);
    }

    [Fact]
    public void Push_StopSplitAcrossDeltas_CutsBeforeStop()
    {
        var matcher = new StopStringMatcher(["</end>"]);
        Assert.Equal(new StopMatch("Hello ", false, null), matcher.Push("Hello </"));
        Assert.Equal(new StopMatch("", false, null), matcher.Push("en"));
        Assert.Equal(new StopMatch("", true, "</end>"), matcher.Push("d> trailing"));
        Assert.True(matcher.IsStopped);
        Assert.Equal(new StopMatch("", true, "</end>"), matcher.Push("more"));
    }

    [Fact]
    public void Push_StopsNotMatched_StopInThatTextIsIgnoredLater()
    {
        // vLLM min_tokens: a stop completed while matching is off never matches afterwards
        var matcher = new StopStringMatcher(["aa"]);
        Assert.Equal(new StopMatch("a", false, null), matcher.Push("aa", matchStops: false));   // "a" held: may start "aa"
        Assert.Equal(new StopMatch("ax", false, null), matcher.Push("x"));
        Assert.Equal(new StopMatch("y", false, null), matcher.Push("ya"));
        Assert.Equal(new StopMatch("", true, "aa"), matcher.Push("a"));
    }

    [Fact]
    public void Push_StopBegunWhileNotMatching_MatchesWhenItCompletes()
    {
        var matcher = new StopStringMatcher(["</end>"]);
        Assert.Equal(new StopMatch("x ", false, null), matcher.Push("x </e", matchStops: false));
        Assert.Equal(new StopMatch("", true, "</end>"), matcher.Push("nd>"));
    }

    [Fact]
    public void Push_FalseStart_ReleasesHeldText()
    {
        var matcher = new StopStringMatcher(["STOP"]);
        Assert.Equal("a", matcher.Push("aST").Emit);
        Assert.Equal("STx", matcher.Push("x").Emit);
        Assert.Equal(("aSTxS", false, (string?)null), Run(new StopStringMatcher(["STOP"]), "aST", "x", "S"));
    }

    [Fact]
    public void Push_IncludeStopStr_EmitsStopAndNothingAfter()
    {
        Assert.Equal(("Hello </end>", true, "</end>"), Run(new StopStringMatcher(["</end>"], includeStopInOutput: true), "Hello </", "en", "d> trailing"));
    }

    [Fact]
    public void Push_IncludeStopStr_HoldsNothingBack()
    {
        var matcher = new StopStringMatcher(["</end>"], includeStopInOutput: true);
        Assert.Equal("Hello </", matcher.Push("Hello </").Emit);
    }

    [Fact]
    public void Push_MultipleStops_FirstToCompleteWins()
    {
        Assert.Equal(("xa", true, "bc"), Run(new StopStringMatcher(["abcd", "bc"]), "xabcd"));
        Assert.Equal(("one ", true, "two"), Run(new StopStringMatcher(["three", "two"]), "one two three"));
        // same end: the longer (earlier start) wins
        Assert.Equal(("x", true, "abc"), Run(new StopStringMatcher(["bc", "abc"]), "xabcz"));
    }

    [Fact]
    public void Push_OverlappingPrefixes_FindsStopAfterPartialRepeat()
    {
        // "aab" inside "aaab": a naive matcher that drops the held "aa" on mismatch misses it.
        Assert.Equal(("xa", true, "aab"), Run(new StopStringMatcher(["aab"]), "x", "a", "a", "a", "b"));
        Assert.Equal(("", true, "abab"), Run(new StopStringMatcher(["abab"]), "ab", "ab", "ab"));
        Assert.Equal(("x", true, "abab"), Run(new StopStringMatcher(["abab"]), "xab", "a", "bab"));
    }

    [Theory]
    [InlineData("The end. ###\nmore")]
    [InlineData("no stop here at all")]
    [InlineData("##x###y")]
    [InlineData("日本語の文章です。###終わり")]
    [InlineData("emoji 😀😀 stop😀here")]
    public void Push_AnySplit_SameResultAsWholeText(string text)
    {
        string[] stops = ["###", "stop😀", "。#"];
        var whole = Run(new StopStringMatcher(stops), text);
        for (var cut1 = 0; cut1 <= text.Length; cut1++)
        {
            for (var cut2 = cut1; cut2 <= text.Length; cut2 += 3)
            {
                var split = Run(new StopStringMatcher(stops), text[..cut1], text[cut1..cut2], text[cut2..]);
                Assert.Equal(whole, split);
            }
        }
        var perChar = Run(new StopStringMatcher(stops), text.Select(c => c.ToString()).ToArray());
        Assert.Equal(whole, perChar);
    }

    [Fact]
    public void Push_Unicode_StopWithMultibyteChars()
    {
        Assert.Equal(("日本", true, "語の"), Run(new StopStringMatcher(["語の"]), "日本語", "の文"));
        Assert.Equal(("a", true, "😀"), Run(new StopStringMatcher(["😀"]), "a\uD83D", "\uDE00b"));
    }

    [Fact]
    public void Push_HoldBack_AtMostLongestStopMinusOne()
    {
        var matcher = new StopStringMatcher(["abcdef", "xy"]);
        Assert.Equal("0", matcher.Push("0abcde").Emit);
        Assert.Equal("abcdeq", matcher.Push("q").Emit);
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void Flush_NotStopped_ReleasesHeldBackText()
    {
        var matcher = new StopStringMatcher(["<|im_end|>"]);
        Assert.Equal("answer", matcher.Push("answer<|im").Emit);
        Assert.Equal("<|im", matcher.Flush());
    }

    [Fact]
    public void Push_NoStops_PassesThrough()
    {
        var matcher = new StopStringMatcher([]);
        Assert.Equal(new StopMatch("abc", false, null), matcher.Push("abc"));
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void Constructor_EmptyStop_ThrowsNamingStop()
    {
        Assert.Equal("stop", Assert.Throws<SamplingParamsException>(() => new StopStringMatcher(["a", ""])).ParamName);
    }
}
