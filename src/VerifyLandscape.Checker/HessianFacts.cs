using System.Text.Json.Nodes;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Checker;

/// <summary>
/// A certificate's exact Hessian: every entry recomputed in forward mode and compared with the stated non-zero entries
/// (an entry left out is asserted to be 0), and the stated LDLᵀ factors multiplied back (P H Pᵀ = L D Lᵀ, L unit lower
/// triangular, D of 1×1 and 2×2 blocks, each 2×2 block of negative determinant): D's inertia is H's (Sylvester).
/// </summary>
public static class HessianFacts
{
    /// <summary>The stated Hessian, after checking every entry against the recomputed one, and its inertia from the LDLᵀ factors.</summary>
    public static (Rational[,] Hessian, Inertia Inertia) Check(NetworkSpec spec, Sym[] theta, JsonObject facts)
    {
        var layout = spec.Layout;
        int n = layout.Count;
        var asserted = new Rational[n, n];
        foreach (var (key, value) in Certificate.Object(facts, "hessianNonZero"))
        {
            var (i, j) = EntryIndices(layout, key);
            asserted[i, j] = Certificate.Number(value, $"hessianNonZero[{key}]");
        }
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                var h = ForwardMode.Derivative(spec, theta, i, j);
                if (h != (Sym)asserted[i, j] || asserted[j, i] != asserted[i, j])
                    throw new Reject($"H[{layout.Name(i)}, {layout.Name(j)}] recomputes to {h}, the certificate says {asserted[i, j]}");
            }
        var inertia = CheckLdl(Certificate.Object(facts, "ldl"), asserted);
        var said = Certificate.Object(facts, "inertia");
        var stated = new Inertia(Certificate.Integer(said["positive"], "inertia.positive"), Certificate.Integer(said["negative"], "inertia.negative"), Certificate.Integer(said["zero"], "inertia.zero"));
        if (stated != inertia) throw new Reject($"the inertia recomputed from D is {inertia}, the certificate says {stated}");
        return (asserted, inertia);
    }

    /// <summary>The parameters of a Hessian entry named "W1[0,1],b2[0]".</summary>
    public static (int, int) EntryIndices(ParameterLayout layout, string key)
    {
        int split = key.IndexOf("],", StringComparison.Ordinal) + 1;
        if (split <= 0 || !layout.TryIndexOf(key[..split], out int p) || !layout.TryIndexOf(key[(split + 1)..], out int q))
            throw new Reject($"unknown Hessian entry '{key}'");
        return (p, q);
    }

    private static (int, int) Index(string key, int n, string matrix)
    {
        var parts = key.Split(',');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int i) || !int.TryParse(parts[1], out int j) || i < 0 || j < 0 || i >= n || j >= n)
            throw new Reject($"{matrix} has an entry at '{key}', outside the {n}×{n} matrix");
        return (i, j);
    }

    private static Inertia CheckLdl(JsonObject ldl, Rational[,] h)
    {
        int n = h.GetLength(0);
        var perm = Certificate.Array(ldl, "permutation").Select((v, i) => Certificate.Integer(v, $"permutation[{i}]")).ToArray();
        if (perm.Length != n || perm.Distinct().Count() != n || perm.Any(p => p < 0 || p >= n)) throw new Reject("the LDLᵀ permutation is not a permutation of the parameters");
        var L = new Rational[n, n];
        var D = new Rational[n, n];
        for (int i = 0; i < n; i++) L[i, i] = 1;
        foreach (var (key, v) in Certificate.Object(ldl, "L"))
        {
            var (i, j) = Index(key, n, "L");
            if (j >= i) throw new Reject($"L has an entry at ({key}) on or above the diagonal");
            L[i, j] = Certificate.Number(v, $"L[{key}]");
        }
        foreach (var (key, v) in Certificate.Object(ldl, "D"))
        {
            var (i, j) = Index(key, n, "D");
            D[i, j] = Certificate.Number(v, $"D[{key}]");
        }
        // D block diagonal: off-diagonal entries only at (k, k+1) pairs that form disjoint symmetric blocks.
        int pos = 0, neg = 0, zero = 0;
        for (int k = 0; k < n; k++)
        {
            for (int j = k + 2; j < n; j++) if (!D[k, j].IsZero || !D[j, k].IsZero) throw new Reject("D is not block diagonal");
            if (k + 1 < n && !D[k, k + 1].IsZero)
            {
                if (D[k + 1, k] != D[k, k + 1] || (k + 2 < n && !D[k + 1, k + 2].IsZero)) throw new Reject("D has a malformed 2×2 block");
                if ((D[k, k] * D[k + 1, k + 1] - D[k, k + 1] * D[k + 1, k]).Sign >= 0) throw new Reject("a 2×2 block of D does not have a negative determinant");
                pos++; neg++; k++;
                continue;
            }
            if (k > 0 && !D[k, k - 1].IsZero) throw new Reject("D is not symmetric");
            switch (D[k, k].Sign) { case > 0: pos++; break; case < 0: neg++; break; default: zero++; break; }
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                Rational sum = 0;
                for (int k = 0; k <= Math.Min(i, j) + 1 && k < n; k++)
                {
                    if (L[i, k].IsZero) continue;
                    for (int t = Math.Max(0, k - 1); t <= Math.Min(n - 1, k + 1); t++)
                        if (!D[k, t].IsZero && !L[j, t].IsZero) sum += L[i, k] * D[k, t] * L[j, t];
                }
                if (sum != h[perm[i], perm[j]]) throw new Reject($"L D Lᵀ differs from P H Pᵀ at ({i},{j}): {sum} vs {h[perm[i], perm[j]]}");
            }
        return new Inertia(pos, neg, zero);
    }
}
