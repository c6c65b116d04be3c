using System.Text.Json.Nodes;
using VerifyLandscape.Exact;

namespace VerifyLandscape.Networks;

/// <summary>Writes a spec back as JSON in the format SpecReader reads (numbers as exact strings).</summary>
public static class SpecWriter
{
    public static JsonObject ToJson(NetworkSpec s)
    {
        var o = new JsonObject { ["widths"] = new JsonArray(s.Widths.Select(w => (JsonNode?)w).ToArray()) };
        if (s.HiddenActivations.Distinct().Count() <= 1)
            o["activation"] = s.HiddenActivations.Length > 0 ? ActivationJson(s.HiddenActivations[0]) : "identity";
        else
            o["activations"] = new JsonArray(s.HiddenActivations.Select(ActivationJson).ToArray());
        o["outputActivation"] = ActivationJson(s.OutputActivation);
        if (!s.OutputScale.IsOne) o["outputScale"] = s.OutputScale.ToString();
        o["bias"] = s.Bias;
        if (!s.OutputBias) o["outputBias"] = false;
        if (s.Skip is { } skip) o["skip"] = Units(skip);
        if (s.HasReads)
            o["reads"] = new JsonObject(s.Reads!.Select((list, k) => (list, k)).Where(t => t.list is not null)
                .Select(t => KeyValuePair.Create(t.k.ToString(), (JsonNode?)Units(t.list!))));
        if (s.Shared is { Length: > 0 } shared)
            o["shared"] = new JsonArray(shared.Select(g => (JsonNode?)new JsonArray(g.Select(n => (JsonNode?)n).ToArray())).ToArray());
        if (s.Frozen is { Length: > 0 } frozen)
            o["frozen"] = new JsonObject(frozen.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value.ToString())));
        o["loss"] = NetworkSpec.LossName(s.Loss);
        o["weightDecay"] = s.WeightDecay.ToString();
        if (!s.L1Penalty.IsZero) o["penalty"] = new JsonObject { ["l1"] = s.L1Penalty.ToString() };
        o["data"] = new JsonObject { ["x"] = Matrix(s.X), ["y"] = Matrix(s.Y) };
        return o;
    }

    public static string ToJsonString(NetworkSpec s) => ToJson(s).ToJsonString();

    private static JsonArray Units(HiddenUnit[] units) => new(units.Select(u => (JsonNode?)new JsonArray(u.Layer, u.Unit)).ToArray());

    private static JsonArray Matrix(Rational[][] rows) =>
        new(rows.Select(r => (JsonNode?)new JsonArray(r.Select(v => (JsonNode?)v.ToString()).ToArray())).ToArray());

    public static JsonNode? ActivationJson(Activation a) => a switch
    {
        LeakyRelu { Alpha.IsZero: true } => "relu",
        LeakyRelu l => new JsonObject { ["name"] = "leaky-relu", ["alpha"] = l.Alpha.ToString() },
        Softplus sp => new JsonObject { ["name"] = "softplus", ["beta"] = sp.Beta.ToString() },
        PolynomialActivation p => new JsonObject { ["name"] = "polynomial", ["coefficients"] = new JsonArray(p.Coefficients.Select(c => (JsonNode?)c.ToString()).ToArray()) },
        _ => a.Name,
    };
}
