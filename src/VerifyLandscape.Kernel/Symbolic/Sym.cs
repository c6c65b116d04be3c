using System.Text;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;

namespace VerifyLandscape.Symbolic;

/// <summary>
/// An element of the exact ring Q[symbols, atoms]: a polynomial with rational
/// coefficients in canonical form (terms sorted, no zero coefficients). A
/// constant is kept as a bare Rational with no allocation, which is the common
/// case at locus points, where most quantities are exactly 0.
/// </summary>
public readonly partial struct Sym : IEquatable<Sym>
{
    private readonly Rational _constant;      // used when _monomials is null
    private readonly Monomial[]? _monomials;  // canonical order; at least one non-unit monomial
    private readonly Rational[]? _coefficients;

    public static readonly Sym Zero = default;
    public static readonly Sym One = new(Rational.One);

    public Sym(Rational constant) { _constant = constant; _monomials = null; _coefficients = null; }
    private Sym(Monomial[] m, Rational[] c) { _constant = default; _monomials = m; _coefficients = c; }

    public static implicit operator Sym(Rational q) => new(q);
    public static implicit operator Sym(long n) => new(n);

    public static Sym Variable(Symbol s) => new([Monomial.Of(s.Id)], [Rational.One]);

    public bool IsConstant => _monomials is null;
    public bool IsZero => _monomials is null && _constant.IsZero;
    /// <summary>The value when constant; throws otherwise.</summary>
    public Rational Constant => _monomials is null ? _constant : throw new InvalidOperationException("not a constant: " + this);
    public int TermCount => _monomials?.Length ?? (_constant.IsZero ? 0 : 1);

    public IEnumerable<(Monomial Monomial, Rational Coefficient)> Terms
    {
        get
        {
            if (_monomials is null) { if (!_constant.IsZero) yield return (Monomial.Unit, _constant); yield break; }
            for (int i = 0; i < _monomials.Length; i++) yield return (_monomials[i], _coefficients![i]);
        }
    }

    private static Sym FromSorted(List<Monomial> m, List<Rational> c)
    {
        if (m.Count == 0) return Zero;
        if (m.Count == 1 && m[0].IsUnit) return new Sym(c[0]);
        return new Sym(m.ToArray(), c.ToArray());
    }

    public static Sym operator +(Sym a, Sym b)
    {
        if (a._monomials is null && b._monomials is null) return new Sym(a._constant + b._constant);
        if (a.IsZero) return b;
        if (b.IsZero) return a;
        var (am, ac) = a.Arrays();
        var (bm, bc) = b.Arrays();
        var m = new List<Monomial>(am.Length + bm.Length);
        var c = new List<Rational>(am.Length + bm.Length);
        int i = 0, j = 0;
        while (i < am.Length || j < bm.Length)
        {
            int cmp = i == am.Length ? 1 : j == bm.Length ? -1 : am[i].CompareTo(bm[j]);
            if (cmp < 0) { m.Add(am[i]); c.Add(ac[i]); i++; }
            else if (cmp > 0) { m.Add(bm[j]); c.Add(bc[j]); j++; }
            else
            {
                var s = ac[i] + bc[j];
                if (!s.IsZero) { m.Add(am[i]); c.Add(s); }
                i++; j++;
            }
        }
        return FromSorted(m, c);
    }

    private (Monomial[], Rational[]) Arrays() =>
        _monomials is not null ? (_monomials, _coefficients!) : (_constant.IsZero ? ([], []) : ([Monomial.Unit], [_constant]));

    public static Sym operator -(Sym a)
    {
        if (a._monomials is null) return new Sym(-a._constant);
        var c = new Rational[a._coefficients!.Length];
        for (int i = 0; i < c.Length; i++) c[i] = -a._coefficients[i];
        return new Sym(a._monomials, c);
    }

    public static Sym operator -(Sym a, Sym b) => a + (-b);

    public static Sym operator *(Sym a, Sym b)
    {
        if (a._monomials is null) return b.Scale(a._constant);
        if (b._monomials is null) return a.Scale(b._constant);
        long terms = (long)a._monomials.Length * b._monomials.Length;
        Budgets.Budget.Check(terms);
        // Capacity: products of sparse polynomials collapse a lot; never preallocate a huge table up front.
        var acc = new Dictionary<Monomial, Rational>((int)Math.Min(terms, 1 << 16));
        for (int i = 0; i < a._monomials.Length; i++)
            for (int j = 0; j < b._monomials.Length; j++)
            {
                var mono = a._monomials[i] * b._monomials[j];
                var coef = a._coefficients![i] * b._coefficients![j];
                acc[mono] = acc.TryGetValue(mono, out var old) ? old + coef : coef;
            }
        var keys = acc.Where(kv => !kv.Value.IsZero).Select(kv => kv.Key).ToList();
        keys.Sort();
        return FromSorted(keys, keys.Select(k => acc[k]).ToList());
    }

    public Sym Scale(Rational q)
    {
        if (q.IsZero) return Zero;
        if (_monomials is null) return new Sym(_constant * q);
        if (q.IsOne) return this;
        var c = new Rational[_coefficients!.Length];
        for (int i = 0; i < c.Length; i++) c[i] = _coefficients[i] * q;
        return new Sym(_monomials, c);
    }

    /// <summary>The symbols (parameters and atoms) this polynomial mentions.</summary>
    public IEnumerable<Symbol> MentionedSymbols() =>
        Terms.SelectMany(t => Enumerable.Range(0, t.Monomial.Count).Select(i => t.Monomial.SymbolAt(i)))
             .Distinct().Select(Symbols.Get);

    /// <summary>
    /// A rigorous enclosure of the real value, given enclosures of the free parameter symbols
    /// (null for a parameter means unbounded); atoms are enclosed from their arguments.
    /// </summary>
    public Interval Enclose(Func<Symbol, Interval?> parameterBox)
    {
        if (_monomials is null) return Interval.FromRational(_constant);
        var cache = new Dictionary<int, Interval>();
        Interval Var(int id)
        {
            if (cache.TryGetValue(id, out var v)) return v;
            var s = Symbols.Get(id);
            v = s.IsAtom ? s.Enclose!(s.Argument.Enclose(parameterBox)) : parameterBox(s) ?? Interval.Entire;
            cache[id] = v;
            return v;
        }
        var sum = Interval.Zero;
        for (int i = 0; i < _monomials.Length; i++)
        {
            var term = Interval.FromRational(_coefficients![i]);
            var mono = _monomials[i];
            for (int k = 0; k < mono.Count; k++)
            {
                var x = Var(mono.SymbolAt(k));
                for (int e = 0; e < mono.ExponentAt(k); e++) term *= x;
            }
            sum += term;
        }
        return sum;
    }

    /// <summary>Replaces parameter symbols (where <paramref name="value"/> answers) and re-applies atoms to the new arguments.</summary>
    public Sym Substitute(Func<Symbol, Sym?> value)
    {
        if (_monomials is null) return this;
        var result = Zero;
        for (int i = 0; i < _monomials.Length; i++)
        {
            Sym term = _coefficients![i];
            var mono = _monomials[i];
            for (int k = 0; k < mono.Count; k++)
            {
                var s = Symbols.Get(mono.SymbolAt(k));
                Sym x = s.IsAtom ? s.Reapply!(s.Argument.Substitute(value)) : value(s) ?? Variable(s);
                for (int e = 0; e < mono.ExponentAt(k); e++) term *= x;
            }
            result += term;
        }
        return result;
    }

    public bool Equals(Sym other)
    {
        if (_monomials is null || other._monomials is null)
            return _monomials is null && other._monomials is null && _constant == other._constant;
        return _monomials.AsSpan().SequenceEqual(other._monomials) && _coefficients.AsSpan().SequenceEqual(other._coefficients);
    }
    public override bool Equals(object? obj) => obj is Sym s && Equals(s);
    public override int GetHashCode() => _monomials is null ? _constant.GetHashCode() : HashCode.Combine(_monomials.Length, _monomials[0], _coefficients![0]);
    public static bool operator ==(Sym a, Sym b) => a.Equals(b);
    public static bool operator !=(Sym a, Sym b) => !a.Equals(b);

    /// <summary>Canonical text: e.g. "2*W3[0,1]*tanh'(b1[0])^2 - 1/2". See README, "Exact values".</summary>
    public override string ToString()
    {
        if (_monomials is null) return _constant.ToString();
        var sb = new StringBuilder();
        for (int i = 0; i < _monomials.Length; i++)
        {
            var c = _coefficients![i];
            var m = _monomials[i];
            if (i == 0) { if (c.Sign < 0) sb.Append('-'); }
            else sb.Append(c.Sign < 0 ? " - " : " + ");
            var abs = c.Abs();
            if (m.IsUnit) sb.Append(abs);
            else
            {
                if (!abs.IsOne) sb.Append(abs).Append('*');
                sb.Append(m);
            }
        }
        return sb.ToString();
    }
}
