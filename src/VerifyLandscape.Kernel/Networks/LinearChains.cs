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
        Rational[,] x = Columns(s.X), xt = Matrices.Transpose(x);
        return Matrices.Inverse(Matrices.Multiply(x, xt)) is { } inverse ? Matrices.Multiply(Matrices.Multiply(Columns(s.Y), xt), inverse) : null;
    }
}
