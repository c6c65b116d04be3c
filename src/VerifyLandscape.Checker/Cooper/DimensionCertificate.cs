using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Cooper;

/// <summary>
/// cooper.dim at core:I,J: dim S_i, dim S_j and dim C_{i,j} recomputed two ways, from the definition (P minus the number
/// of fixed coordinates: each constraint fixes one coordinate) and from the closed formula; the claim holds when they
/// agree and S is positive-dimensional for ℓ ≥ 3, C for ℓ ≥ 4. The certificate must state exactly these three loci.
/// </summary>
public static class DimensionCertificate
{
    [ChecksClaim("cooper.dim")]
    public static string Check(Certificate c)
    {
        var s = c.Spec;
        if (!s.Bias) throw new Reject("out of the claim's hypotheses: the network has no biases");
        var idx = CooperSetting.LocusIndices(c, 2);
        var stated = Certificate.Object(c.Facts, "dimensions");
        var loci = new[] { new[] { idx[0] }, new[] { idx[1] }, idx };
        if (stated.Count != loci.Length) throw new Reject($"the certificate states {stated.Count} dimensions, the claim speaks about {loci.Length} (S_i, S_j, C_i,j)");
        bool holds = true;
        var problems = new List<string>();
        foreach (var indices in loci)
        {
            string name = indices.Length == 1 ? $"S_{indices[0]}" : $"C_{indices[0]},{indices[1]}";
            var entry = Certificate.Object(stated, name);
            int byCount = s.ParameterCount - CooperSetting.Locus(s, indices).Count;
            int byFormula = Formula(s, indices);
            if (Certificate.Integer(entry["rank"], $"{name}.rank") != byCount || Certificate.Integer(entry["formula"], $"{name}.formula") != byFormula)
                throw new Reject($"dim {name}: the certificate says rank {entry["rank"]}, formula {entry["formula"]}; recomputed {byCount} and {byFormula}");
            bool positive = indices.Length == 1 ? s.Depth >= 3 : s.Depth >= 4;
            if (byCount != byFormula || (positive && byCount <= 0)) { holds = false; problems.Add($"{name}: {byCount} vs formula {byFormula}"); }
        }
        c.Conclude(holds, holds ? "every dimension agrees with its formula" : string.Join("; ", problems));
        return "dimensions of S_i, S_j and C_i,j recomputed from the definition and from the formula";
    }

    private static int Formula(NetworkSpec s, int[] idx)
    {
        int l = s.Depth;
        int d = s.ParameterCount - s.OutputWidth * (s.Widths[l - 1] + 1);
        foreach (var j in idx) d -= s.Widths[j] * s.Widths[j - 1];
        for (int k = idx.Min(); k < l; k++) d -= s.Widths[k];
        return d;
    }
}
