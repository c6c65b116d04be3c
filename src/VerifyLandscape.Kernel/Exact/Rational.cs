using System.Globalization;
using System.Numerics;

namespace VerifyLandscape.Exact;

/// <summary>
/// An exact rational number in lowest terms with a positive denominator.
/// Small values (numerator and denominator fit in a long) stay in two longs and
/// are combined in Int128 without allocating; anything larger falls back to
/// BigInteger. default(Rational) is 0.
/// </summary>
public readonly partial struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    // Small form: _n / (_dMinus1 + 1); stored as d-1 so that default(Rational) is 0/1.
    private readonly long _n;
    private readonly long _dMinus1;
    private readonly BigFraction? _big;

    private sealed class BigFraction(BigInteger n, BigInteger d)
    {
        public readonly BigInteger N = n;
        public readonly BigInteger D = d;
    }

    private Rational(long n, long d) { _n = n; _dMinus1 = d - 1; _big = null; }
    private Rational(BigFraction big) { _n = 0; _dMinus1 = 0; _big = big; }

    public static readonly Rational Zero = default;
    public static readonly Rational One = new(1, 1);
    public static readonly Rational MinusOne = new(-1, 1);
    public static Rational Min(Rational a, Rational b) => a <= b ? a : b;
    public static Rational Max(Rational a, Rational b) => a >= b ? a : b;
    public static readonly Rational Half = new(1, 2);

    public bool IsSmall => _big is null;
    public BigInteger Numerator => _big is null ? _n : _big.N;
    public BigInteger Denominator => _big is null ? _dMinus1 + 1 : _big.D;
    public bool IsZero => _big is null && _n == 0;
    public bool IsOne => _big is null && _n == 1 && _dMinus1 == 0;
    public bool IsInteger => _big is null ? _dMinus1 == 0 : _big.D.IsOne;
    public int Sign => _big is null ? Math.Sign(_n) : _big.N.Sign;

    public static implicit operator Rational(long n) => new(n, 1);
    public static implicit operator Rational(int n) => new(n, 1);

    public static Rational Create(BigInteger n, BigInteger d)
    {
        if (d.IsZero) throw new DivideByZeroException("rational with zero denominator");
        if (d.Sign < 0) { n = -n; d = -d; }
        var g = BigInteger.GreatestCommonDivisor(n, d);
        if (!g.IsOne && !g.IsZero) { n /= g; d /= g; }
        if (n.IsZero) return Zero;
        if (n >= long.MinValue && n <= long.MaxValue && d <= long.MaxValue)
            return new Rational((long)n, (long)d);
        return new Rational(new BigFraction(n, d));
    }

    private static Rational FromInt128(Int128 n, Int128 d)
    {
        if (d < 0) { n = -n; d = -d; }
        if (n == 0) return Zero;
        var g = Gcd(n < 0 ? -n : n, d);
        if (g != 1) { n /= g; d /= g; }
        if (n >= long.MinValue && n <= long.MaxValue && d <= long.MaxValue)
            return new Rational((long)n, (long)d);
        return new Rational(new BigFraction((BigInteger)n, (BigInteger)d));
    }

    private static Int128 Gcd(Int128 a, Int128 b)
    {
        while (b != 0) { var t = a % b; a = b; b = t; }
        return a;
    }

    public static Rational operator +(Rational a, Rational b)
    {
        if (a._big is null && b._big is null)
        {
            if (a._n == 0) return b;
            if (b._n == 0) return a;
            long ad = a._dMinus1 + 1, bd = b._dMinus1 + 1;
            if (ad == 1 && bd == 1)
            {
                long s;
                if (!long.IsNegative((a._n ^ (s = unchecked(a._n + b._n))) & (b._n ^ s))) return new Rational(s, 1);
            }
            if (ad == bd)
                return FromInt128((Int128)a._n + b._n, ad);
            return FromInt128((Int128)a._n * bd + (Int128)b._n * ad, (Int128)ad * bd);
        }
        return Create(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);
    }

    public static Rational operator -(Rational a) =>
        a._big is null ? (a._n == long.MinValue ? Create(-(BigInteger)a._n, a._dMinus1 + 1) : new Rational(-a._n, a._dMinus1 + 1))
                       : new Rational(new BigFraction(-a._big.N, a._big.D));

    public static Rational operator -(Rational a, Rational b) => a + (-b);

    public static Rational operator *(Rational a, Rational b)
    {
        if (a._big is null && b._big is null)
        {
            if (a._n == 0 || b._n == 0) return Zero;
            long ad = a._dMinus1 + 1, bd = b._dMinus1 + 1;
            if (ad == 1 && bd == 1)
            {
                long hi = Math.BigMul(a._n, b._n, out long lo);
                if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) return new Rational(lo, 1);
            }
            return FromInt128((Int128)a._n * b._n, (Int128)ad * bd);
        }
        return Create(a.Numerator * b.Numerator, a.Denominator * b.Denominator);
    }

    public static Rational operator /(Rational a, Rational b)
    {
        if (b.IsZero) throw new DivideByZeroException("division of a rational by zero");
        return a * b.Reciprocal();
    }

    public Rational Reciprocal()
    {
        if (IsZero) throw new DivideByZeroException("reciprocal of zero");
        return Create(Denominator, Numerator);
    }

    public Rational Abs() => Sign < 0 ? -this : this;

    public static Rational Pow(Rational a, int k)
    {
        if (k < 0) return Pow(a.Reciprocal(), -k);
        var r = One;
        var b = a;
        while (k > 0) { if ((k & 1) == 1) r *= b; b *= b; k >>= 1; }
        return r;
    }

    public int CompareTo(Rational other)
    {
        if (_big is null && other._big is null)
            return ((Int128)_n * (other._dMinus1 + 1)).CompareTo((Int128)other._n * (_dMinus1 + 1));
        return (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);
    }

    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;
    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);

    public bool Equals(Rational other) =>
        _big is null && other._big is null
            ? _n == other._n && _dMinus1 == other._dMinus1
            : _big is not null && other._big is not null && _big.N == other._big.N && _big.D == other._big.D;

    public override bool Equals(object? obj) => obj is Rational r && Equals(r);
    public override int GetHashCode() => _big is null ? HashCode.Combine(_n, _dMinus1) : HashCode.Combine(_big.N, _big.D);

    /// <summary>Nearest double (correctly rounded for small values; within an ulp or two otherwise).</summary>
    public double ToDouble()
    {
        if (_big is null) return _dMinus1 == 0 ? _n : (double)_n / (_dMinus1 + 1);
        var n = _big.N; var d = _big.D;
        // Scale so the integer quotient carries 64 significant bits.
        long shift = (long)(n.IsZero ? 0 : BigInteger.Abs(n).GetBitLength()) - (long)d.GetBitLength() - 64;
        BigInteger q = shift >= 0 ? n / (d << (int)shift) : (n << (int)-shift) / d;
        return Math.ScaleB((double)q, (int)shift);
    }

    /// <summary>Largest integer not above this number.</summary>
    public BigInteger Floor()
    {
        var q = BigInteger.DivRem(Numerator, Denominator, out var r);
        return r.Sign < 0 ? q - 1 : q;
    }

    public override string ToString() =>
        IsInteger ? Numerator.ToString(CultureInfo.InvariantCulture)
                  : Numerator.ToString(CultureInfo.InvariantCulture) + "/" + Denominator.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads "3/7", "-2", "0.25", "-1.5e-3" exactly: a decimal is the rational it names, never a double.
    /// </summary>
    public static bool TryParse(string? text, out Rational value)
    {
        value = Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        int slash = s.IndexOf('/');
        if (slash >= 0)
        {
            if (!TryParseDecimal(s[..slash], out var num) || !TryParseDecimal(s[(slash + 1)..], out var den) || den.IsZero)
                return false;
            value = num / den;
            return true;
        }
        return TryParseDecimal(s, out value);
    }

    public static Rational Parse(string text) =>
        TryParse(text, out var r) ? r : throw new FormatException($"cannot read '{text}' as an exact number");

    private static bool TryParseDecimal(string s, out Rational value)
    {
        value = Zero;
        s = s.Trim();
        if (s.Length == 0 || s.Length > 4000) return false;
        int exp = 0;
        int e = s.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            if (!int.TryParse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exp)) return false;
            if (Math.Abs(exp) > 10000) return false;
            s = s[..e];
        }
        bool negative = false;
        if (s.StartsWith('-')) { negative = true; s = s[1..]; }
        else if (s.StartsWith('+')) s = s[1..];
        int dot = s.IndexOf('.');
        string digits = dot >= 0 ? s.Remove(dot, 1) : s;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return false;
        if (dot >= 0) exp -= s.Length - dot - 1;
        var n = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        if (negative) n = -n;
        value = exp >= 0 ? Create(n * BigInteger.Pow(10, exp), 1) : Create(n, BigInteger.Pow(10, -exp));
        return true;
    }

    /// <summary>The exact value of a finite double (every finite double is a dyadic rational).</summary>
    public static Rational FromDouble(double x)
    {
        if (!double.IsFinite(x)) throw new ArgumentException($"not a finite number: {x}");
        if (x == 0) return Zero;
        long bits = BitConverter.DoubleToInt64Bits(x);
        bool neg = bits < 0;
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent++; else mantissa |= 1L << 52;
        exponent -= 1075;
        BigInteger m = neg ? -mantissa : mantissa;
        return exponent >= 0 ? Create(m << exponent, 1) : Create(m, BigInteger.One << -exponent);
    }
}
