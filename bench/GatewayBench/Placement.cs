using System.Collections.Concurrent;
using LlmSuite.Gateway.Models;

namespace LlmSuite.GatewayBench;

/// <summary>
/// Which replica served each turn of each conversation, recorded from the gateway's proxied requests: conversations
/// are told apart by the "[salt/c]" tag that starts their system prompt (see <see cref="MultiTurnChat"/>).
/// </summary>
internal sealed class Placement
{
    private readonly ConcurrentQueue<(long Order, string Conversation, string Replica)> _turns = new();
    private long _order;

    /// <summary>Records one proxied request.</summary>
    public void Record(GatewayRequest request, string replica)
    {
        string text = request.PromptText;
        int at = text.IndexOf('['), end = at < 0 ? -1 : text.IndexOf(']', at);
        if (end > at)
        {
            _turns.Enqueue((Interlocked.Increment(ref _order), text[at..(end + 1)], replica));
        }
    }

    /// <summary>
    /// Per conversation, the replicas of its turns in order, by the index that ends their destination id
    /// ("inference-0"): "0001" = three turns on the first replica, then one on the second. Clears the record.
    /// </summary>
    public string Describe()
    {
        var turns = _turns.ToArray();
        _turns.Clear();
        return string.Join("  ", turns.GroupBy(t => t.Conversation).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            g.Key + " " + string.Concat(g.OrderBy(t => t.Order).Select(t => t.Replica[(t.Replica.LastIndexOf('-') + 1)..]))));
    }
}
