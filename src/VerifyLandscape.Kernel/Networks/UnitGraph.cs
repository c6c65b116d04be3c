namespace VerifyLandscape.Networks;

/// <summary>
/// Which unit reads which, as the wiring and the frozen zeros say (001's layered DAG: a missing arc is a weight
/// frozen at 0). Unit u of layer k reads entry j of what its layer reads (a_{k−1}, or the layer's list) unless
/// W_k[u, j] is frozen at 0. Layer 0 stands for the input coordinates.
/// </summary>
public static class UnitGraph
{
    /// <summary>The units (layer 0: input coordinates) that unit u of layer k reads through an arc that is not frozen at 0.</summary>
    public static IEnumerable<HiddenUnit> InUnits(NetworkSpec s, HiddenUnit unit)
    {
        var layout = s.Layout;
        var sources = s.Sources(unit.Layer) ?? Enumerable.Range(0, s.Widths[unit.Layer - 1]).Select(j => new HiddenUnit(unit.Layer - 1, j)).ToArray();
        for (int j = 0; j < sources.Length; j++)
            if (layout.FrozenValue(layout.Weight(unit.Layer, unit.Unit, j)) is not { IsZero: true }) yield return sources[j];
    }

    /// <summary>S_j, the input coordinates a first-layer unit reads (its patch).</summary>
    public static int[] Patch(NetworkSpec s, int unit) => InUnits(s, new HiddenUnit(1, unit)).Select(u => u.Unit).ToArray();

    /// <summary>
    /// Whether the unit's value is the same on every sample for every U: every input coordinate it depends on is
    /// constant across the samples (a unit that reads nothing is σ(b), constant too).
    /// </summary>
    public static bool IsSampleConstant(NetworkSpec s, HiddenUnit unit)
    {
        var memo = new Dictionary<HiddenUnit, bool>();
        bool Constant(HiddenUnit u)
        {
            if (u.Layer == 0) return s.X.All(x => x[u.Unit] == s.X[0][u.Unit]);
            if (memo.TryGetValue(u, out bool known)) return known;
            return memo[u] = InUnits(s, u).All(Constant);
        }
        return Constant(unit);
    }

    /// <summary>Whether a backward path from the unit reaches the first hidden layer through hidden units none of which is in <paramref name="avoid"/> (the unit itself excepted).</summary>
    public static bool PathToFirstLayerAvoiding(NetworkSpec s, HiddenUnit unit, IReadOnlySet<HiddenUnit> avoid)
    {
        var seen = new HashSet<HiddenUnit>();
        bool Reaches(HiddenUnit u) =>
            u.Layer == 1 || InUnits(s, u).Any(v => v.Layer >= 1 && !avoid.Contains(v) && seen.Add(v) && Reaches(v));
        return Reaches(unit);
    }
}
