using VerifyLandscape.Exact;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Networks;

/// <summary>
/// Ψ ∈ R^{N×M}, Ψ_ik = f_{p_k}(x_i): the values on every sample of the hidden units the output layer reads
/// (Nguyen–Mukkamala–Hein's feature matrix; G = ΨV for an output layer without bias). Only the hidden layers up to
/// the deepest listed unit are evaluated, in any number type (intervals for rigorous claims, rationals for exact ones).
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

    /// <summary>Pre-activations z and values a of hidden layers 1..top for every sample: [sample][layer][unit] (index 0 of a: the input).</summary>
    public static (T[][][] Z, T[][][] A) Forward<T>(NetworkSpec net, IReadOnlyList<T> theta, int top) where T : IScalar<T>
    {
        var layout = net.Layout;
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
                for (int u = 0; u < a[k].Length; u++)
                {
                    T sum = layout.HasBias(k) ? theta[layout.BiasIndex(k, u)] : T.Zero;
                    for (int j = 0; j < net.Widths[k - 1]; j++) sum += theta[layout.Weight(k, u, j)] * a[k - 1][j];
                    z[k][u] = sum;
                    a[k][u] = sigma.Apply(sum, $"layer {k} unit {u}, sample {i}").Value;
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
    /// Columns spanning every column of Ψ for every U: a unit the output reads, unless its σ is affine (identity or a
    /// polynomial of degree ≤ 1), in which case it is a combination of the layer below ("[k,u]" units, inputs "x_j") and "1",
    /// expanded the same way where that layer is affine too.
    /// </summary>
    public static SortedSet<string> AffineSpan(NetworkSpec net)
    {
        var span = new SortedSet<string>(StringComparer.Ordinal);
        void Add(int layer, int unit)
        {
            if (layer == 0) { span.Add($"x{unit}"); return; }
            if (!IsAffine(net.HiddenActivations[layer - 1])) { span.Add(new HiddenUnit(layer, unit).ToString()); return; }
            if (net.HasBias(layer)) span.Add("1");
            for (int j = 0; j < net.Widths[layer - 1]; j++) Add(layer - 1, j);
        }
        foreach (var u in net.OutputSources) Add(u.Layer, u.Unit);
        return span;
    }

    public static bool IsAffine(Activation a) => a is IdentityActivation || (a is PolynomialActivation p && p.Degree <= 1);

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
