using LlmSuite.InferenceService.Admission;
using LlmSuite.InferenceService.Tests.TestHost;

namespace LlmSuite.InferenceService.Tests.Admission;

public sealed class AdmissionControllerTests
{
    [Fact]
    public void TryEnter_BeyondCapacity_RefusesWithWaitFromTheMeasuredRate()
    {
        var time = new ManualTime();
        var admission = new AdmissionController(running: 1, queued: 1, time);
        // three completions two seconds apart: 2 finished per 4 s = 0.5 requests/s
        for (var i = 0; i < 3; i++)
        {
            Assert.True(admission.TryEnter(out _));
            admission.Exit(completed: true);
            if (i < 2)
            {
                time.Advance(TimeSpan.FromSeconds(2));
            }
        }
        Assert.True(admission.TryEnter(out _));
        Assert.True(admission.TryEnter(out _));

        Assert.False(admission.TryEnter(out var retryAfter));

        Assert.Equal(0.5, admission.ServiceRate!.Value, 6);
        // two requests are ahead of a running slot: 2 / 0.5 = 4 s
        Assert.Equal(TimeSpan.FromSeconds(4), retryAfter);
        Assert.Equal(2, admission.InFlight);
    }

    [Fact]
    public void TryEnter_NoRateMeasuredYet_RefusesWithOneSecond()
    {
        var admission = new AdmissionController(running: 1, queued: 0, new ManualTime());
        Assert.True(admission.TryEnter(out _));

        Assert.False(admission.TryEnter(out var retryAfter));

        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
    }

    [Fact]
    public void Exit_Aborted_DoesNotCountTowardsTheRate()
    {
        var time = new ManualTime();
        var admission = new AdmissionController(running: 1, queued: 0, time);
        Assert.True(admission.TryEnter(out _));
        admission.Exit(completed: false);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(admission.TryEnter(out _));
        admission.Exit(completed: false);

        Assert.Null(admission.ServiceRate);
        Assert.Equal(0, admission.InFlight);
    }
}
