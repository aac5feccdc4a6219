using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Cassette.LocalEngine.Faults;

/// <summary>The active fault rules, matched in the order they were added.</summary>
public sealed class FaultRegistry
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly object _gate = new();
    private readonly List<Registration> _rules = new();
    private int _nextId;

    public bool IsEmpty
    {
        get { lock (_gate) return _rules.Count == 0; }
    }

    /// <summary>Adds a rule, or returns why it is invalid.</summary>
    public JsonObject Add(FaultRule rule)
    {
        string? problem = FaultRuleValidator.Validate(rule);
        if (problem is not null) throw new ArgumentException(problem, nameof(rule));
        lock (_gate)
        {
            var registration = new Registration((++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture), rule);
            _rules.Add(registration);
            return registration.Describe();
        }
    }

    /// <summary>Parses a JSON array of rules (the --Faults option) and adds them all.</summary>
    public void AddAll(string json)
    {
        var rules = JsonSerializer.Deserialize<FaultRule[]>(json, JsonOptions) ?? [];
        foreach (var rule in rules) Add(rule);
    }

    public JsonArray Describe()
    {
        lock (_gate) return new JsonArray(_rules.Select(r => (JsonNode)r.Describe()).ToArray());
    }

    public JsonObject? Describe(string id)
    {
        lock (_gate) return _rules.Find(r => r.Id == id)?.Describe();
    }

    public bool Remove(string id)
    {
        lock (_gate) return _rules.RemoveAll(r => r.Id == id) > 0;
    }

    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    /// <summary>The rule that fires for this call, counting the firing; null when the call goes through untouched.</summary>
    public FaultRule? Match(string target, string? requestId)
    {
        lock (_gate)
        {
            foreach (var registration in _rules)
            {
                var rule = registration.Rule;
                if (rule.Target != FaultNames.Any && rule.Target != target) continue;
                if (rule.RequestId is not null && rule.RequestId != requestId) continue;
                if (rule.Count > 0 && registration.Fired >= rule.Count) continue;
                // A rule only for some targets (a file stall) never fires elsewhere, even with target "any".
                if (FaultNames.KindTargets[rule.Kind] is { } targets && !targets.Contains(target)) continue;
                if (++registration.Seen <= rule.Skip) continue;
                registration.Fired++;
                return rule;
            }
            return null;
        }
    }

    private sealed class Registration(string id, FaultRule rule)
    {
        public string Id { get; } = id;
        public FaultRule Rule { get; } = rule;
        public int Seen { get; set; }
        public int Fired { get; set; }

        public JsonObject Describe()
        {
            var json = JsonSerializer.SerializeToNode(Rule, JsonOptions)!.AsObject();
            json["id"] = Id;
            json["fired"] = Fired;
            json["remaining"] = Rule.Count == 0 ? null : Math.Max(0, Rule.Count - Fired);
            return json;
        }
    }
}
