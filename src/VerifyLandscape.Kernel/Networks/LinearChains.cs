using VerifyLandscape.Exact;

namespace VerifyLandscape.Networks;

/// <summary>A linear network's weight matrices as rational matrices, and back; the data as matrices with samples in columns.</summary>
public static class LinearChains
{
    /// <summary>W_1..W_K (index 0 unused), W_k of size n_k × n_{k−1}.</summary>
    public static Rational[][,] Weights(NetworkSpec s, IReadOnlyList<Rational> theta)
    {
        var w = new Rational[s.Depth + 1][,];
        for (int k = 1; k <= s.Depth; k++)
        {
            w[k] = new Rational[s.Widths[k], s.Widths[k - 1]];
            for (int i = 0; i < s.Widths[k]; i++)
                for (int j = 0; j < s.Widths[k - 1]; j++) w[k][i, j] = theta[s.Layout.Weight(k, i, j)];
        }
        return w;
    }

    public static Rational[] Point(NetworkSpec s, Rational[][,] w)
    {
        var theta = new Rational[s.ParameterCount];
        for (int k = 1; k <= s.Depth; k++)
            for (int i = 0; i < s.Widths[k]; i++)
                for (int j = 0; j < s.Widths[k - 1]; j++) theta[s.Layout.Weight(k, i, j)] = w[k][i, j];
        return theta;
    }

    /// <summary>W_to ⋯ W_from (the identity when from &gt; to).</summary>
    public static Rational[,] Product(Rational[][,] w, int from, int to)
    {
        var p = Matrices.Identity(w[from].GetLength(1));
        for (int k = from; k <= to; k++) p = Matrices.Multiply(w[k], p);
        return p;
    }

    /// <summary>The samples as columns: X is n_in × L, Y is n_out × L.</summary>
    public static Rational[,] Columns(Rational[][] rows)
    {
        var m = new Rational[rows[0].Length, rows.Length];
        for (int i = 0; i < rows.Length; i++) for (int j = 0; j < rows[i].Length; j++) m[j, i] = rows[i][j];
        return m;
    }

    /// <summary>The least-squares fit T = Y Xᵀ (X Xᵀ)⁻¹ of the data (so X (Y − T X)ᵀ = 0), or null when X Xᵀ is singular.</summary>
    public static Rational[,]? LeastSquaresFit(NetworkSpec s)
    {
        var x = Columns(s.X);
        return Matrices.Inverse(Matrices.Multiply(x, Matrices.Transpose(x))) is { } inverse ? Matrices.Multiply(Correlation(s), inverse) : null;
    }

    /// <summary>G = YXᵀ (n_out × n_in), the data's correlation.</summary>
    public static Rational[,] Correlation(NetworkSpec s) => Matrices.Multiply(Columns(s.Y), Matrices.Transpose(Columns(s.X)));

    /// <summary>½‖Y‖²_F: F(0) for loss half-sse.</summary>
    public static Rational HalfSquaredTargets(NetworkSpec s) => s.Y.SelectMany(r => r).Aggregate(Rational.Zero, (a, v) => a + v * v) / 2;

    /// <summary>
    /// The global minimum of ½‖Y − W_K⋯W_1X‖²_F over the weights (Lu–Kawaguchi; Eckart–Young on the rank-d_p product,
    /// d_p the smallest width, input and output included): ½(‖Y‖² − Σ_{i≤d_p} λ_i(K)), K = G(XXᵀ)⁻¹Gᵀ. Exact
    /// (½(‖Y‖² − tr K)) when rank K ≤ d_p, else the top d_p eigenvalues enclosed by 60 Sylvester bisections each.
    /// XXᵀ must be invertible.
    /// </summary>
    public static RankConstrainedMinimum DeepLinearMinimum(NetworkSpec s)
    {
        var x = Columns(s.X);
        var g = Correlation(s);
        var inverse = Matrices.Inverse(Matrices.Multiply(x, Matrices.Transpose(x))) ?? throw new ArgumentException("XXᵀ is singular");
        var k = Matrices.Multiply(Matrices.Multiply(g, inverse), Matrices.Transpose(g));
        int bottleneck = s.Widths.Min(), rank = ExactLinearAlgebra.Rank(k);
        var half = HalfSquaredTargets(s);
        if (rank <= bottleneck)
        {
            Rational trace = 0;
            for (int i = 0; i < k.GetLength(0); i++) trace += k[i, i];
            return new(half - trace / 2, half - trace / 2, bottleneck, rank);
        }
        var top = Matrices.EigenvalueEnclosures(k, steps: 60).Take(bottleneck).ToArray();
        return new(half - top.Aggregate(Rational.Zero, (a, e) => a + e.Hi) / 2, half - top.Aggregate(Rational.Zero, (a, e) => a + e.Lo) / 2, bottleneck, rank);
    }
}

/// <summary>An enclosure [Lo, Hi] of a deep linear net's global minimum, with the bottleneck d_p and rank K.</summary>
public sealed record RankConstrainedMinimum(Rational Lo, Rational Hi, int Bottleneck, int RankK)
{
    public bool IsExact => Lo == Hi;
    public override string ToString() => IsExact ? Lo.ToString() : $"[{Lo.ToDouble():G12}, {Hi.ToDouble():G12}]";
}
