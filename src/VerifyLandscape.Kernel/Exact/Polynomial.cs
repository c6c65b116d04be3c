namespace VerifyLandscape.Exact;

/// <summary>
/// A polynomial in one variable t with rational coefficients (index = power, no trailing zeros), exact arithmetic,
/// and rigorous enclosures of its range on intervals of t ≥ 0.
/// </summary>
public sealed class Polynomial
{
    private readonly Rational[] _c;

    public Polynomial(params Rational[] coefficients)
    {
        int n = coefficients.Length;
        while (n > 0 && coefficients[n - 1].IsZero) n--;
        _c = coefficients[..n];
    }

    public static readonly Polynomial Zero = new();
    public static Polynomial Constant(Rational c) => new(c);
    /// <summary>c·t^k.</summary>
    public static Polynomial Monomial(Rational c, int k)
    {
        var a = new Rational[k + 1];
        for (int i = 0; i < k; i++) a[i] = Rational.Zero;
        a[k] = c;
        return new Polynomial(a);
    }

    public int Degree => _c.Length - 1; // −1 for the zero polynomial
    public bool IsZero => _c.Length == 0;
    public Rational this[int k] => k < _c.Length ? _c[k] : Rational.Zero;
    public IReadOnlyList<Rational> Coefficients => _c;

    public static Polynomial operator +(Polynomial a, Polynomial b)
    {
        var c = new Rational[Math.Max(a._c.Length, b._c.Length)];
        for (int i = 0; i < c.Length; i++) c[i] = a[i] + b[i];
        return new Polynomial(c);
    }

    public static Polynomial operator -(Polynomial a) => new(a._c.Select(x => -x).ToArray());
    public static Polynomial operator -(Polynomial a, Polynomial b) => a + (-b);
    public static Polynomial operator *(Rational s, Polynomial a) => new(a._c.Select(x => s * x).ToArray());

    public static Polynomial operator *(Polynomial a, Polynomial b)
    {
        if (a.IsZero || b.IsZero) return Zero;
        var c = new Rational[a._c.Length + b._c.Length - 1];
        for (int i = 0; i < c.Length; i++) c[i] = Rational.Zero;
        for (int i = 0; i < a._c.Length; i++)
            if (!a._c[i].IsZero)
                for (int j = 0; j < b._c.Length; j++) c[i + j] += a._c[i] * b._c[j];
        return new Polynomial(c);
    }

    /// <summary>The polynomial of degree ≤ d that agrees with f at t = 0, 1/d, …, 1: f itself when f is such a polynomial.</summary>
    public static Polynomial Through(int degree, Func<Rational, Rational> f)
    {
        var ts = Enumerable.Range(0, degree + 1).Select(j => Rational.Create(j, Math.Max(1, degree))).ToArray();
        return Interpolate(ts, ts.Select(f).ToArray());
    }

    /// <summary>The polynomial of degree &lt; n through (t_j, v_j), j &lt; n, distinct t_j (Newton's divided differences, exact).</summary>
    public static Polynomial Interpolate(IReadOnlyList<Rational> t, IReadOnlyList<Rational> v)
    {
        int n = t.Count;
        var d = v.ToArray();
        for (int level = 1; level < n; level++)
            for (int j = n - 1; j >= level; j--) d[j] = (d[j] - d[j - 1]) / (t[j] - t[j - level]);
        var p = Constant(d[n - 1]);
        for (int j = n - 2; j >= 0; j--) p = p * new Polynomial(-t[j], Rational.One) + Constant(d[j]);
        return p;
    }

    public Rational Evaluate(Rational t)
    {
        Rational v = 0;
        for (int i = _c.Length - 1; i >= 0; i--) v = v * t + _c[i];
        return v;
    }

    private Polynomial? _derivative; // bisections enclose one polynomial on many intervals
    public Polynomial Derivative() => _derivative ??= new(Enumerable.Range(1, Math.Max(0, _c.Length - 1)).Select(i => i * _c[i]).ToArray());

    /// <summary>The remainder of a divided by b ≠ 0 (exact long division).</summary>
    public static Polynomial Remainder(Polynomial a, Polynomial b)
    {
        if (b.IsZero) throw new DivideByZeroException("division by the zero polynomial");
        var r = a._c.ToArray();
        int n = r.Length - 1, m = b.Degree;
        for (int k = n; k >= m; k--)
        {
            if (r[k].IsZero) continue;
            var q = r[k] / b._c[m];
            for (int j = 0; j <= m; j++) r[k - m + j] -= q * b._c[j];
        }
        return new Polynomial(r.Take(Math.Max(0, m)).ToArray());
    }

    /// <summary>
    /// The number of distinct real roots in (lo, hi], for lo &lt; hi with p(lo) ≠ 0 and p(hi) ≠ 0 (Sturm's theorem: the
    /// sequence p, p', −rem(p, p'), … changes sign V(lo) − V(hi) more times at lo than at hi; repeated roots count once).
    /// </summary>
    public int DistinctRootsBetween(Rational lo, Rational hi)
    {
        if (IsZero) throw new ArgumentException("the zero polynomial vanishes everywhere");
        if (Evaluate(lo).IsZero || Evaluate(hi).IsZero) throw new ArgumentException($"Sturm counts need p(lo) ≠ 0 and p(hi) ≠ 0 on [{lo}, {hi}]");
        var chain = new List<Polynomial> { this };
        for (var next = Derivative(); !next.IsZero; next = -Remainder(chain[^2], chain[^1])) chain.Add(next);
        int Changes(Rational t)
        {
            int changes = 0, last = 0;
            foreach (var q in chain)
            {
                int sign = q.Evaluate(t).Sign;
                if (sign == 0) continue;
                if (last != 0 && sign != last) changes++;
                last = sign;
            }
            return changes;
        }
        return Changes(lo) - Changes(hi);
    }

    /// <summary>
    /// An interval containing {p(t) : lo ≤ t ≤ hi}, for 0 ≤ lo ≤ hi. The monotone form (positive and negative
    /// coefficients summed separately, each part increasing on t ≥ 0) intersected with the mean-value form
    /// p(m) ± (hi − lo)/2 · max|p'| (which shrinks quadratically, so roots are isolated at moderate depth).
    /// </summary>
    public (Rational Lo, Rational Hi) Enclose(Rational lo, Rational hi)
    {
        if (lo.Sign < 0 || hi < lo) throw new ArgumentException($"enclosures are for 0 ≤ lo ≤ hi, not [{lo}, {hi}]");
        var (mLo, mHi) = Monotone(lo, hi);
        var d = Derivative();
        if (d.IsZero) return (mLo, mHi);
        var (dLo, dHi) = d.Monotone(lo, hi);
        var slope = dLo.Abs() > dHi.Abs() ? dLo.Abs() : dHi.Abs();
        var mid = (lo + hi) / 2;
        var pm = Evaluate(mid);
        var radius = (hi - lo) / 2 * slope;
        return (Max(mLo, pm - radius), Min(mHi, pm + radius));
    }

    private (Rational Lo, Rational Hi) Monotone(Rational lo, Rational hi)
    {
        Rational posLo = 0, posHi = 0, negLo = 0, negHi = 0, powLo = 1, powHi = 1;
        foreach (var c in _c)
        {
            if (c.Sign > 0) { posLo += c * powLo; posHi += c * powHi; }
            else if (c.Sign < 0) { negLo += c * powHi; negHi += c * powLo; }
            powLo *= lo; powHi *= hi;
        }
        return (posLo + negLo, posHi + negHi);
    }

    private static Rational Max(Rational a, Rational b) => a > b ? a : b;
    private static Rational Min(Rational a, Rational b) => a < b ? a : b;

    public override string ToString() =>
        IsZero ? "0" : string.Join(" + ", _c.Select((c, i) => (c, i)).Where(p => !p.c.IsZero).Select(p => p.i == 0 ? $"{p.c}" : p.i == 1 ? $"({p.c})·t" : $"({p.c})·t^{p.i}"));

    /// <summary>Coefficients as rational strings (for certificates).</summary>
    public string[] ToStrings() => _c.Select(c => c.ToString()).ToArray();
    public static Polynomial Parse(IEnumerable<string> coefficients) => new(coefficients.Select(Rational.Parse).ToArray());
}
