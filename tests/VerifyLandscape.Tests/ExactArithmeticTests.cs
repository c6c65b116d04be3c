using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VerifyLandscape.Exact;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Tests;

public class ExactArithmeticTests
{
    [Theory]
    [InlineData("3/7", 3, 7)]
    [InlineData("-0.25", -1, 4)]
    [InlineData("1e-3", 1, 1000)]
    [InlineData("2.5E+2", 250, 1)]
    [InlineData("-6/4", -3, 2)]
    [InlineData("0.1", 1, 10)]
    public void ParseReadsDecimalsExactly(string text, long n, long d) =>
        Assert.Equal(Rational.Create(n, d), Rational.Parse(text));

    [Theory]
    [InlineData("")] [InlineData("1/0")] [InlineData("abc")] [InlineData("NaN")] [InlineData("1.2.3")] [InlineData("--1")] [InlineData("Infinity")]
    public void ParseRejectsNonNumbers(string text) => Assert.False(Rational.TryParse(text, out _));

    [Property(Arbitrary = [typeof(VlArbitraries)], Replay = VlArbitraries.Replay, MaxTest = 300)]
    public bool RationalsFormAField(Rational a, Rational b, Rational c) =>
        (a + b) - b == a && a * (b + c) == a * b + a * c && (a * b) * c == a * (b * c) && (b.IsZero || (a / b) * b == a);

    /// <summary>Sturm counts against polynomials built from known roots (some repeated, some outside the interval).</summary>
    [Fact]
    public void SturmCountsDistinctRootsOfPolynomialsWithKnownRoots()
    {
        var roots = from n in Gen.Choose(1, 6) from ks in Gen.ArrayOf(Gen.Choose(-4, 12), n) select ks; // roots k/8
        PropertyCheck.Run("Sturm's count on (1/16, 17/16] = the distinct known roots there", Arb.From(roots), ks =>
        {
            var p = Polynomial.Constant(1);
            foreach (var k in ks) p = p * new Polynomial(-Rational.Create(k, 8), 1);
            Rational lo = Rational.Create(1, 16), hi = Rational.Create(17, 16);
            int expected = ks.Distinct().Count(k => Rational.Create(k, 8) > lo && Rational.Create(k, 8) <= hi);
            return p.DistinctRootsBetween(lo, hi) == expected;
        }, trials: 300);
        // No real root at all: t² + 1.
        Assert.Equal(0, new Polynomial(1, 0, 1).DistinctRootsBetween(-5, 5));
    }

    /// <summary>Interval sin and cos enclose the library's values at points of the interval, extrema included.</summary>
    [Fact]
    public void IntervalSineAndCosineEnclosePointValues()
    {
        var boxes = from a in Gen.Choose(-10_000, 10_000) from w in Gen.Choose(0, 4_000) from f in Gen.Choose(0, 1000)
                    select (Lo: a / 1000.0, Hi: a / 1000.0 + w / 1000.0, At: a / 1000.0 + w / 1000.0 * f / 1000.0);
        PropertyCheck.Run("sin and cos of [lo, hi] contain sin x and cos x for x in it", Arb.From(boxes), b =>
        {
            var box = new Intervals.Interval(b.Lo, b.Hi);
            return box.Sin().Contains(Math.Sin(b.At)) && box.Cos().Contains(Math.Cos(b.At));
        }, trials: 2000);
        Assert.Equal(1, new Intervals.Interval(-0.1, 0.1).Cos().Hi);
        Assert.Equal(-1, new Intervals.Interval(3, 3.2).Cos().Lo);
        Assert.Equal(1, new Intervals.Interval(1.5, 1.6).Sin().Hi);
    }

    private static Gen<BigInteger> Big => from a in Gen.Choose(-1000, 1000) from s in Gen.Choose(0, 90) select (BigInteger)a << s;

    [Fact]
    public void SmallFastPathAgreesWithBigIntegerArithmetic()
    {
        var gen = from a in Big from b in Big from c in Big from d in Big
                  where !b.IsZero && !d.IsZero select (a, b, c, d);
        PropertyCheck.Run("rational + and * agree with BigInteger cross-multiplication", Arb.From(gen), t =>
        {
            var x = Rational.Create(t.a, t.b); var y = Rational.Create(t.c, t.d);
            var sum = x + y; var prod = x * y;
            return sum.Numerator * t.b * t.d == (t.a * t.d + t.c * t.b) * sum.Denominator
                && prod.Numerator * t.b * t.d == t.a * t.c * prod.Denominator
                && BigInteger.GreatestCommonDivisor(sum.Numerator, sum.Denominator).IsOne
                && sum.Denominator.Sign > 0
                && (x - x).IsZero && (x.IsZero || (x / x).IsOne);
        }, trials: 500);
    }

    [Fact]
    public void OverflowOfLongsFallsBackToBigIntegers()
    {
        Rational big = long.MaxValue;
        var sq = big * big;
        Assert.Equal((BigInteger)long.MaxValue * long.MaxValue, sq.Numerator);
        Assert.Equal(big, sq / big);
        Assert.Equal(Rational.Create(1, long.MaxValue) + Rational.Create(1, long.MaxValue - 1),
                     Rational.Create((BigInteger)long.MaxValue + long.MaxValue - 1, (BigInteger)long.MaxValue * (long.MaxValue - 1)));
    }

    private static Gen<Rational[,]> SymmetricMatrix =>
        from n in Gen.Choose(1, 6)
        from entries in Gen.ArrayOf(Gen.Frequency((3, Gen.Constant(Rational.Zero)), (4, NetworkCases.SmallRational)), n * n)
        select Symmetrise(n, entries);

    private static Rational[,] Symmetrise(int n, Rational[] e)
    {
        var a = new Rational[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) a[i, j] = a[j, i] = e[i * n + j];
        return a;
    }

    internal static Rational[,] MultiplyBack(LdlFactorization f)
    {
        int n = f.Permutation.Length;
        var ld = new Rational[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { Rational s = 0; for (int k = 0; k < n; k++) s += f.L[i, k] * f.D[k, j]; ld[i, j] = s; }
        var back = new Rational[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                Rational s = 0;
                for (int k = 0; k < n; k++) s += ld[i, k] * f.L[j, k];
                back[f.Permutation[i], f.Permutation[j]] = s; // undo P A Pᵀ
            }
        return back;
    }

    [Fact]
    public void LdlFactorsMultiplyBackExactly()
    {
        PropertyCheck.Run("P A Pᵀ = L D Lᵀ exactly, L unit lower triangular", Arb.From(SymmetricMatrix), a =>
        {
            var f = ExactLinearAlgebra.Ldl(a);
            int n = a.GetLength(0);
            for (int i = 0; i < n; i++)
            {
                if (!f.L[i, i].IsOne) return false;
                for (int j = i + 1; j < n; j++) if (!f.L[i, j].IsZero) return false;
            }
            var back = MultiplyBack(f);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (back[i, j] != a[i, j]) return false;
            return true;
        }, trials: 300);
    }

    [Fact]
    public void InertiaAgreesWithDoubleEigenvalues()
    {
        PropertyCheck.Run("exact inertia = signs of eigenvalues (Jacobi, tolerance 1e-9)", Arb.From(SymmetricMatrix), a =>
        {
            var inertia = ExactLinearAlgebra.InertiaOf(a);
            var eig = Jacobi.Eigenvalues(a);
            int pos = eig.Count(v => v > 1e-9), neg = eig.Count(v => v < -1e-9);
            return inertia == new Inertia(pos, neg, eig.Length - pos - neg);
        }, trials: 300);
    }

    [Fact]
    public void InertiaOfOffDiagonalPairNeedsATwoByTwoPivot()
    {
        var a = new Rational[,] { { 0, 1, 0 }, { 1, 0, 0 }, { 0, 0, 0 } };
        Assert.Equal(new Inertia(1, 1, 1), ExactLinearAlgebra.InertiaOf(a));
    }

    [Fact]
    public void RankNullspaceAndDeterminantAgree()
    {
        var gen = from r in Gen.Choose(1, 5) from c in Gen.Choose(1, 5)
                  from e in Gen.ArrayOf(Gen.Frequency((2, Gen.Constant(Rational.Zero)), (3, NetworkCases.SmallRational)), r * c)
                  select ToMatrix(r, c, e);
        PropertyCheck.Run("rank + nullity = columns; A v = 0 on the nullspace; det ≠ 0 iff full rank", Arb.From(gen), a =>
        {
            int rows = a.GetLength(0), cols = a.GetLength(1);
            var basis = ExactLinearAlgebra.Nullspace(a);
            if (ExactLinearAlgebra.Rank(a) + basis.Count != cols) return false;
            foreach (var v in basis)
                for (int i = 0; i < rows; i++) { Rational s = 0; for (int j = 0; j < cols; j++) s += a[i, j] * v[j]; if (!s.IsZero) return false; }
            if (rows == cols && ExactLinearAlgebra.Determinant(a).IsZero != (basis.Count > 0)) return false;
            return true;
        }, trials: 300);
    }

    [Fact]
    public void DeterminantOfKnownMatrix()
    {
        var a = new Rational[,] { { 2, Rational.Create(1, 2), 0 }, { 1, 3, 1 }, { 0, Rational.Create(-1, 3), 4 } };
        // 2(12 + 1/3) − 1/2(4 − 0) + 0 = 74/3 − 2 = 68/3
        Assert.Equal(Rational.Create(68, 3), ExactLinearAlgebra.Determinant(a));
    }

    private static Rational[,] ToMatrix(int r, int c, Rational[] e)
    {
        var a = new Rational[r, c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) a[i, j] = e[i * c + j];
        return a;
    }

    [Fact]
    public void PolynomialEnclosureContainsEveryValue()
    {
        var gen =
            from coefficients in Gen.ArrayOf(NetworkCases.SmallRational, 7)
            from a in Gen.Choose(0, 40)
            from width in Gen.Choose(0, 40)
            from fractions in Gen.ArrayOf(Gen.Choose(0, 16), 5)
            select (coefficients, lo: Rational.Create(a, 16), hi: Rational.Create(a + width, 16), fractions);
        PropertyCheck.Run("Polynomial.Enclose(lo, hi) contains p(t) for t in [lo, hi] (and p times q multiplies values)", Arb.From(gen), c =>
        {
            var p = new Polynomial(c.coefficients);
            var q = new Polynomial(c.coefficients.Reverse().ToArray());
            var (lo, hi) = p.Enclose(c.lo, c.hi);
            foreach (var f in c.fractions)
            {
                var t = c.lo + (c.hi - c.lo) * Rational.Create(f, 16);
                var v = p.Evaluate(t);
                if (v < lo || v > hi || (p * q).Evaluate(t) != v * q.Evaluate(t)) return false;
            }
            return true;
        }, trials: 300);
    }
}

/// <summary>Cyclic Jacobi eigenvalues in double precision, a test oracle independent of the exact code.</summary>
internal static class Jacobi
{
    public static double[] Eigenvalues(Rational[,] m)
    {
        int n = m.GetLength(0);
        var a = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i, j] = m[i, j].ToDouble();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) off += a[i, j] * a[i, j];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq; a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk; a[q, k] = s * apk + c * aqk;
                    }
                }
        }
        return Enumerable.Range(0, n).Select(i => a[i, i]).ToArray();
    }
}
