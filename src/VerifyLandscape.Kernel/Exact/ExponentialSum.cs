using VerifyLandscape.Intervals;

namespace VerifyLandscape.Exact;

/// <summary>
/// Σ_k c_k e^{q_k} with rational coefficients c_k and distinct rational exponents q_k, exactly. Such a sum is the zero
/// number only when every coefficient is 0: e^{q} for distinct rational (indeed algebraic) q are linearly independent
/// over the algebraic numbers (Lindemann–Weierstrass). So equality of two sums is decided exactly, and the sign of a
/// non-zero sum is decided by an interval enclosure (or left undecided when the enclosure is too wide to tell).
/// </summary>
public sealed class ExponentialSum
{
    private readonly Dictionary<Rational, Rational> _terms; // exponent → coefficient, no zero coefficients

    private ExponentialSum(Dictionary<Rational, Rational> terms) => _terms = terms;

    public static ExponentialSum Constant(Rational c) => Term(c, Rational.Zero);
    /// <summary>c·e^{q}.</summary>
    public static ExponentialSum Term(Rational c, Rational q) => new(c.IsZero ? [] : new() { [q] = c });

    public bool IsZero => _terms.Count == 0;
    public int TermCount => _terms.Count;

    public static ExponentialSum operator +(ExponentialSum a, ExponentialSum b)
    {
        var terms = new Dictionary<Rational, Rational>(a._terms);
        foreach (var (q, c) in b._terms) Add(terms, q, c);
        return new(terms);
    }

    public static ExponentialSum operator -(ExponentialSum a, ExponentialSum b) => a + b * Constant(-1);

    public static ExponentialSum operator *(ExponentialSum a, ExponentialSum b)
    {
        Budgets.Budget.Check((long)a._terms.Count * b._terms.Count);
        var terms = new Dictionary<Rational, Rational>();
        foreach (var (qa, ca) in a._terms)
            foreach (var (qb, cb) in b._terms)
            {
                Budgets.Budget.Check();
                Add(terms, qa + qb, ca * cb);
            }
        return new(terms);
    }

    private static void Add(Dictionary<Rational, Rational> terms, Rational q, Rational c)
    {
        var sum = terms.GetValueOrDefault(q) + c;
        if (sum.IsZero) terms.Remove(q); else terms[q] = sum;
    }

    /// <summary>A rigorous enclosure of the value.</summary>
    public Interval Enclose()
    {
        var sum = Interval.FromRational(Rational.Zero);
        foreach (var (q, c) in _terms) sum += Interval.FromRational(c) * Interval.FromRational(q).Exp();
        return sum;
    }

    /// <summary>−1, 0 or 1; null when the sum is not zero but its enclosure still contains 0.</summary>
    public int? Sign()
    {
        if (IsZero) return 0;
        var e = Enclose();
        return e.Lo > 0 ? 1 : e.Hi < 0 ? -1 : null;
    }

    public override string ToString() => IsZero ? "0"
        : string.Join(" + ", _terms.OrderBy(t => t.Key).Select(t => t.Key.IsZero ? t.Value.ToString() : $"{t.Value}·e^({t.Key})"));
}
