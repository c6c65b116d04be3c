namespace VerifyLandscape.Intervals;

/// <summary>
/// Enclosures of 001's cross-entropy quantities for a linear output G = ΨV (+ 1bᵀ): the mean loss
/// Φ = (1/N) Σ_i log Σ_j e^{G_ij − G_{i,y_i}}, the softmax P, and the V-gradient Ψᵀ(P − Y)/N. Written once here, used
/// by the claims and re-run by the checker on a certificate's point.
/// </summary>
public static class CrossEntropyEnclosures
{
    public static Interval[,] Product(Interval[,] a, Interval[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        var c = new Interval[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                var s = Interval.Zero;
                for (int q = 0; q < k; q++) s += a[i, q] * b[q, j];
                c[i, j] = s;
            }
        return c;
    }

    public static Interval[,] Transpose(Interval[,] a)
    {
        var t = new Interval[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) t[j, i] = a[i, j];
        return t;
    }

    /// <summary>ℓ_i = log(1 + Σ_{j≠y} e^{G_ij − G_iy}) (a sum of positive terms, so the enclosure stays tight), averaged.</summary>
    public static Interval MeanLoss(Interval[,] g, int[] labels) => MeanLossOfMargins(Margins(g, labels), labels);

    /// <summary>The margins Δ_ij = G_ij − G_{i,y_i} (Δ_{i,y_i} = 0): the loss and the softmax depend on G only through them.</summary>
    public static Interval[,] Margins(Interval[,] g, int[] labels)
    {
        var d = new Interval[g.GetLength(0), g.GetLength(1)];
        for (int i = 0; i < d.GetLength(0); i++) for (int j = 0; j < d.GetLength(1); j++) d[i, j] = j == labels[i] ? Interval.Zero : g[i, j] - g[i, labels[i]];
        return d;
    }

    /// <summary>
    /// Δ(s) = Δ0 + s·(Δ1 − Δ0)-style paths written as Δ0 + s·slope with s occurring once per entry, so an interval s
    /// gives each entry's exact range; the loss (1/N) Σ_i log(1 + Σ_{j≠y} e^{Δ_ij}) is then tight on boxes of s.
    /// </summary>
    public static Interval[,] Along(Interval[,] start, Interval[,] slope, Interval s)
    {
        var d = new Interval[start.GetLength(0), start.GetLength(1)];
        for (int i = 0; i < d.GetLength(0); i++) for (int j = 0; j < d.GetLength(1); j++) d[i, j] = start[i, j] + s * slope[i, j];
        return d;
    }

    public static Interval MeanLossOfMargins(Interval[,] margins, int[] labels)
    {
        var total = Interval.Zero;
        for (int i = 0; i < labels.Length; i++)
        {
            var s = Interval.One;
            for (int j = 0; j < margins.GetLength(1); j++) if (j != labels[i]) s += margins[i, j].Exp();
            total += s.Log();
        }
        return total / Interval.Point(labels.Length);
    }

    /// <summary>P_ij = e^{Δ_ij} / (1 + Σ_{k≠y} e^{Δ_ik}), from the margins.</summary>
    public static Interval[,] SoftmaxOfMargins(Interval[,] margins, int[] labels)
    {
        var p = new Interval[margins.GetLength(0), margins.GetLength(1)];
        for (int i = 0; i < labels.Length; i++)
        {
            var denominator = Interval.One;
            for (int j = 0; j < margins.GetLength(1); j++) if (j != labels[i]) denominator += margins[i, j].Exp();
            var inverse = denominator.Reciprocal();
            for (int j = 0; j < margins.GetLength(1); j++)
                p[i, j] = (j == labels[i] ? inverse : margins[i, j].Exp() * inverse).Intersect(new Interval(0, 1));
        }
        return p;
    }

    /// <summary>
    /// P_ij = 1 / Σ_k e^{G_ik − G_ij}, each entry in [0, 1]: tighter at a point than <see cref="SoftmaxOfMargins"/>
    /// (one enclosure per entry instead of a product), which is the form for boxes of a path parameter.
    /// </summary>
    public static Interval[,] Softmax(Interval[,] g)
    {
        int n = g.GetLength(0), m = g.GetLength(1);
        var p = new Interval[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                var s = Interval.One;
                for (int k = 0; k < m; k++) if (k != j) s += (g[i, k] - g[i, j]).Exp();
                p[i, j] = s.Reciprocal().Intersect(new Interval(0, 1));
            }
        return p;
    }

    /// <summary>P − Y for one-hot Y given by labels.</summary>
    public static Interval[,] Residual(Interval[,] p, int[] labels)
    {
        var r = (Interval[,])p.Clone();
        for (int i = 0; i < labels.Length; i++) r[i, labels[i]] -= Interval.One;
        return r;
    }

    /// <summary>Σ entries², as an interval (its square root is the Frobenius norm).</summary>
    public static Interval SquaredNorm(Interval[,] a)
    {
        var s = Interval.Zero;
        foreach (var v in a) s += v.Square();
        return s;
    }

    /// <summary>The one-hot matrix of the labels times a scalar.</summary>
    public static Interval[,] ScaledOneHot(int[] labels, int m, Interval t)
    {
        var y = new Interval[labels.Length, m];
        for (int i = 0; i < labels.Length; i++) for (int j = 0; j < m; j++) y[i, j] = j == labels[i] ? t : Interval.Zero;
        return y;
    }

}
