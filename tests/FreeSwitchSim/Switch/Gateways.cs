using FreeSwitchSim.Core;

namespace FreeSwitchSim.Switch;

/// <summary>The carrier gateways of the external profile and how each number behaves (longest prefix wins).</summary>
internal sealed class Gateways
{
    private readonly Dictionary<string, GatewayRule> _defaults;
    private readonly Dictionary<string, IReadOnlyList<GatewayRule>> _rules = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public Gateways(SimSwitchOptions options)
    {
        _defaults = new Dictionary<string, GatewayRule>(options.Gateways, StringComparer.Ordinal);
    }

    public bool Exists(string gateway)
    {
        lock (_lock)
        {
            return _defaults.ContainsKey(gateway) || _rules.ContainsKey(gateway);
        }
    }

    public void SetRules(string gateway, IReadOnlyList<GatewayRule> rules)
    {
        lock (_lock)
        {
            _rules[gateway] = rules.ToArray();
        }
    }

    /// <summary>The rule for a number: the longest matching prefix among the gateway's rules, else its default.</summary>
    public GatewayRule? Behaviour(string gateway, string number)
    {
        lock (_lock)
        {
            if (_rules.TryGetValue(gateway, out var rules))
            {
                var best = rules
                    .Where(r => number.StartsWith(r.Prefix, StringComparison.Ordinal))
                    .OrderByDescending(r => r.Prefix.Length)
                    .FirstOrDefault();
                if (best is not null)
                {
                    return best;
                }
            }
            return _defaults.TryGetValue(gateway, out var d) ? d : null;
        }
    }
}
