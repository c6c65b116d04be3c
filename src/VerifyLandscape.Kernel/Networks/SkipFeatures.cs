using VerifyLandscape.Exact;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Networks;

/// <summary>
/// Ψ ∈ R^{N×M}, Ψ_ik = f_{p_k}(x_i): the values on every sample of the hidden units the output layer reads
/// (Nguyen–Mukkamala–Hein's feature matrix; G = ΨV for an output layer without bias). Only the hidden layers up to
/// the deepest listed unit are evaluated, in any number type (intervals for rigorous claims, rationals for exact ones).
/// DAG wiring and tied parameters are followed as in the derivative engines.
/// </summary>
public static class SkipFeatures
{
    public static T[,] Psi<T>(NetworkSpec net, IReadOnlyList<T> theta) where T : IScalar<T>
    {
        var sources = net.OutputSources;
        var (_, values) = Forward(net, theta, sources.Max(u => u.Layer));
        var psi = new T[net.SampleCount, sources.Length];
        for (int i = 0; i < net.SampleCount; i++)
            for (int c = 0; c < sources.Length; c++) psi[i, c] = values[i][sources[c].Layer][sources[c].Unit];
        return psi;
    }

    /// <summary>
    /// Pre-activations z and values a of layers 1..top for every sample: [sample][layer][unit] (index 0 of a: the input).
    /// A pre-activation on a piecewise-linear σ's kink is a non-smooth point, unless <paramref name="valuesAtKinks"/>
    /// asks for σ's value there.
    /// </summary>
    public static (T[][][] Z, T[][][] A) Forward<T>(NetworkSpec net, IReadOnlyList<T> theta, int top, bool valuesAtKinks = false) where T : IScalar<T>
    {
        var layout = net.Layout;
        var slots = layout.Expand(theta);
        var zs = new T[net.SampleCount][][];
        var values = new T[net.SampleCount][][];
        for (int i = 0; i < net.SampleCount; i++)
        {
            var z = zs[i] = new T[top + 1][];
            var a = values[i] = new T[top + 1][];
            a[0] = net.X[i].Select(T.FromRational).ToArray();
            z[0] = [];
            for (int k = 1; k <= top; k++)
            {
                z[k] = new T[net.Widths[k]];
                a[k] = new T[net.Widths[k]];
                var sigma = net.ActivationOf(k);
                var read = net.Sources(k) is { } list ? list.Select(v => a[v.Layer][v.Unit]).ToArray() : a[k - 1];
                for (int u = 0; u < a[k].Length; u++)
                {
                    T sum = layout.HasBias(k) ? slots[layout.BiasIndex(k, u)] : T.Zero;
                    for (int j = 0; j < read.Length; j++) sum += slots[layout.Weight(k, u, j)] * read[j];
                    z[k][u] = sum;
                    string unit = $"layer {k} unit {u}, sample {i}";
                    a[k][u] = valuesAtKinks ? sigma.Value(sum, unit) : sigma.Apply(sum, unit).Value;
                }
            }
        }
        return (zs, values);
    }

    /// <summary>
    /// D_k, a bound on the degree in x of every unit of hidden layer k, when σ_1..σ_k are polynomials (identity
    /// counts 1; a piecewise-linear σ counts 1 too where <paramref name="linearPieces"/> says every unit stays in one
    /// piece); null once a layer has a σ that is not a polynomial there.
    /// </summary>
    public static int?[] DegreeInX(NetworkSpec net, bool linearPieces)
    {
        var degree = new int?[net.Depth];
        int? d = 1;
        for (int k = 1; k < net.Depth; k++)
        {
            d = net.HiddenActivations[k - 1] switch
            {
                IdentityActivation => d,
                PolynomialActivation p => d * Math.Max(1, p.Degree),
                LeakyRelu when linearPieces => d,
                _ => null,
            };
            degree[k] = d;
        }
        return degree;
    }

    /// <summary>
    /// An upper bound, for every U, on the dimension of the space Ψ's columns lie in. A unit of layer k is a polynomial
    /// of degree ≤ D in the units of a layer b &lt; k (or the inputs, b = 0) when every σ of layers b+1..k is a polynomial
    /// (identity included), D the product of their degrees; a unit of layer b itself is one of degree 1. The columns
    /// expressible over a chosen set of base layers lie in the spaces of monomials of degree ≤ D_b in the n_b base
    /// units, of dimension C(n_b + D_b, D_b) each, the constant shared; every other column adds 1. The bound is the
    /// least over all sets of base layers.
    /// </summary>
    public static (long Dimension, string Spanned) PolynomialSpan(NetworkSpec net)
    {
        var units = net.OutputSources;
        int top = units.Max(u => u.Layer);
        int Width(int b) => b == 0 ? net.InputWidth : net.Widths[b];
        // degree[u][b]: the degree of unit u as a polynomial over layer b, or 0 when it is not one.
        var degree = units.Select(u =>
        {
            var d = new int[top + 1];
            int product = 1;
            d[u.Layer] = 1;
            for (int b = u.Layer - 1; b >= 0; b--)
            {
                if (net.HiddenActivations[b] is not (IdentityActivation or PolynomialActivation)) break; // σ of layer b + 1
                product = Math.Min(64, product * Math.Max(1, net.HiddenActivations[b] is PolynomialActivation p ? p.Degree : 1));
                d[b] = product;
            }
            return d;
        }).ToArray();
        (long Dimension, string Spanned) best = (units.Length, $"the {units.Length} columns themselves");
        for (int subset = 1; subset < 1 << (top + 1); subset++)
        {
            var bases = Enumerable.Range(0, top + 1).Where(b => (subset >> b & 1) == 1).ToArray();
            var covered = new bool[units.Length];
            long dimension = 0;
            var parts = new List<string>();
            foreach (int b in bases)
            {
                int d = Enumerable.Range(0, units.Length).Where(i => degree[i][b] > 0).Select(i => degree[i][b]).DefaultIfEmpty(0).Max();
                if (d == 0) { dimension = long.MaxValue / 4; break; }
                for (int i = 0; i < units.Length; i++) covered[i] |= degree[i][b] > 0;
                dimension += Binomial(Width(b), d);
                parts.Add($"monomials of degree ≤ {d} in {(b == 0 ? "the inputs" : $"layer {b}'s units")}");
            }
            int rest = covered.Count(c => !c);
            dimension += rest - (bases.Length - 1);
            if (rest > 0) parts.Add($"{rest} more column{(rest == 1 ? "" : "s")}");
            if (dimension < best.Dimension) best = (dimension, string.Join(", ", parts));
        }
        return best;
    }

    /// <summary>C(n + d, d), the number of monomials of degree ≤ d in n variables (saturating at long.MaxValue / 2).</summary>
    private static long Binomial(int n, int d)
    {
        long c = 1;
        for (int i = 1; i <= d; i++)
        {
            c = c * (n + i) / i;
            if (c > long.MaxValue / 1024) return long.MaxValue / 2;
        }
        return c;
    }

    /// <summary>The N × C(d+D, D) matrix of all monomials x^α, |α| ≤ D, at the samples: rank Ψ ≤ its rank when every column of Ψ is a polynomial of degree ≤ D in x.</summary>
    public static Rational[,] Monomials(NetworkSpec net, int degree)
    {
        var exponents = new List<int[]>();
        void Build(int[] e, int position, int left)
        {
            if (position == e.Length) { exponents.Add((int[])e.Clone()); return; }
            for (int p = 0; p <= left; p++) { e[position] = p; Build(e, position + 1, left - p); }
        }
        Build(new int[net.InputWidth], 0, degree);
        var m = new Rational[net.SampleCount, exponents.Count];
        for (int i = 0; i < net.SampleCount; i++)
            for (int c = 0; c < exponents.Count; c++)
            {
                Rational v = 1;
                for (int j = 0; j < net.InputWidth; j++) v *= Rational.Pow(net.X[i][j], exponents[c][j]);
                m[i, c] = v;
            }
        return m;
    }
}
