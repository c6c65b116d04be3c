using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Networks;

/// <summary>
/// An activation σ. Each class keeps together, in one screen, what the paper
/// needs: the value and the first two derivatives, the exact values where they
/// are rational, smoothness, and whether σ(0) = 0.
/// </summary>
public abstract class Activation
{
    /// <summary>Canonical name, e.g. "tanh", "leaky-relu(1/10)".</summary>
    public abstract string Name { get; }
    /// <summary>Infinitely differentiable everywhere.</summary>
    public abstract bool IsSmooth { get; }
    /// <summary>σ(0) = 0, the hypothesis of Cooper's theorems.</summary>
    public abstract bool VanishesAtZero { get; }
    /// <summary>σ, σ', σ'' at z in any number type; <paramref name="unit"/> names the unit for error messages.</summary>
    public abstract Jet<T> Apply<T>(T z, string unit) where T : IScalar<T>;
    /// <summary>σ(z) alone: defined at a kink too, where <see cref="Apply"/> has no derivative to give.</summary>
    public virtual T Value<T>(T z, string unit) where T : IScalar<T> => Apply(z, unit).Value;
    /// <summary>σ is relu (leaky relu with α = 0), the hypothesis of several claims.</summary>
    public bool IsRelu => this is LeakyRelu { Alpha.IsZero: true };
    public override string ToString() => Name;

    public static readonly Activation Identity = new IdentityActivation();
    public static readonly Activation Relu = new LeakyRelu(Rational.Zero);
    public static readonly Activation Tanh = new TanhActivation();
    public static readonly Activation Sigmoid = new SigmoidActivation();
    public static readonly Activation Swish = new SwishActivation();
}

/// <summary>σ(t) = t: linear networks.</summary>
public sealed class IdentityActivation : Activation
{
    public override string Name => "identity";
    public override bool IsSmooth => true;
    public override bool VanishesAtZero => true;
    public override Jet<T> Apply<T>(T z, string unit) => new(z, T.One, T.Zero);
}

/// <summary>s·σ(t) for a rational s: the output scale of a spec (Du et al.'s m^{−1/2}), applied after the output activation.</summary>
public sealed class ScaledActivation(Activation inner, Rational scale) : Activation
{
    public Activation Inner { get; } = inner;
    public Rational Scale { get; } = scale;
    public override string Name => $"{Scale}·{Inner.Name}";
    public override bool IsSmooth => Inner.IsSmooth;
    public override bool VanishesAtZero => Inner.VanishesAtZero;
    public override Jet<T> Apply<T>(T z, string unit)
    {
        var jet = Inner.Apply(z, unit);
        var s = T.FromRational(Scale);
        return new(s * jet.Value, s * jet.First, s * jet.Second);
    }
    public override T Value<T>(T z, string unit) => T.FromRational(Scale) * Inner.Value(z, unit);
}

/// <summary>σ(t) = c0 + c1 t + ... + cd t^d with rational coefficients.</summary>
public sealed class PolynomialActivation(IReadOnlyList<Rational> coefficients) : Activation
{
    public IReadOnlyList<Rational> Coefficients { get; } = coefficients;
    public override string Name => "polynomial(" + string.Join(", ", Coefficients) + ")";
    public override bool IsSmooth => true;
    public override bool VanishesAtZero => Coefficients.Count == 0 || Coefficients[0].IsZero;
    /// <summary>The degree (the last non-zero coefficient; 0 for a constant).</summary>
    public int Degree => Math.Max(0, Coefficients.Select((c, i) => c.IsZero ? -1 : i).DefaultIfEmpty(0).Max());
    public override Jet<T> Apply<T>(T z, string unit)
    {
        // Horner for p, p', p'' together.
        T v = T.Zero, d1 = T.Zero, d2 = T.Zero;
        for (int i = Coefficients.Count - 1; i >= 0; i--)
        {
            d2 = d2 * z + d1 + d1;
            d1 = d1 * z + v;
            v = v * z + T.FromRational(Coefficients[i]);
        }
        return new(v, d1, d2);
    }
}

/// <summary>σ(t) = t for t &gt; 0, αt for t &lt; 0 (relu when α = 0). Not differentiable at 0: the switch is part of the claim.</summary>
public sealed class LeakyRelu(Rational alpha) : Activation
{
    public Rational Alpha { get; } = alpha;
    public override string Name => Alpha.IsZero ? "relu" : $"leaky-relu({Alpha})";
    public override bool IsSmooth => false;
    public override bool VanishesAtZero => true;
    public override Jet<T> Apply<T>(T z, string unit)
    {
        int sign = T.SignOf(z) ?? throw new UndecidedException($"the switch of {Name} at {unit} is not decided (its pre-activation's sign is unknown)");
        if (sign == 0) throw new NonSmoothPointException($"{Name} at {unit}: pre-activation exactly 0, one-sided derivatives {Alpha} and 1");
        var slope = sign > 0 ? T.One : T.FromRational(Alpha);
        return new(slope * z, slope, T.Zero);
    }

    /// <summary>Where the switch is not decided, max(z, αz) (α ≤ 1) for number types that enclose; the others throw.</summary>
    public override T Value<T>(T z, string unit) =>
        T.SignOf(z) is { } sign ? (sign >= 0 ? z : T.FromRational(Alpha) * z)
        : Alpha <= Rational.One ? T.UndecidedMax(z, T.FromRational(Alpha) * z)
        : throw new UndecidedException($"the switch of {Name} at {unit} is not decided (its pre-activation's sign is unknown)");
}

/// <summary>A smooth activation whose values are transcendental: each number type asks it for what it can represent.</summary>
public abstract class SmoothActivation : Activation
{
    public override bool IsSmooth => true;
    public override Jet<T> Apply<T>(T z, string unit) => T.Smooth(this, z);
    public override T Value<T>(T z, string unit) => T.SmoothValue(this, z);
    /// <summary>σ^(k) at t when that is rational (k = 0, 1, 2), else null.</summary>
    public abstract Rational? Exact(int k, Rational t);
    /// <summary>σ, σ', σ'' in double precision.</summary>
    public abstract (double, double, double) Evaluate(double t);
    /// <summary>A rigorous enclosure of σ^(k) over t (k = 0, 1, 2).</summary>
    public abstract Interval Enclose(int k, Interval t);
    /// <summary>"tanh", "tanh'", "tanh''": the atom names of the exact ring.</summary>
    public string OrderName(int k) => Name + new string('\'', k);
}

/// <summary>tanh; tanh' = 1 - tanh², tanh'' = -2 tanh (1 - tanh²); at 0: 0, 1, 0.</summary>
public sealed class TanhActivation : SmoothActivation
{
    public override string Name => "tanh";
    public override bool VanishesAtZero => true;
    public override Rational? Exact(int k, Rational t) => t.IsZero ? (k == 1 ? Rational.One : Rational.Zero) : null;
    public override (double, double, double) Evaluate(double t)
    {
        double v = Math.Tanh(t), d = 1 - v * v;
        return (v, d, -2 * v * d);
    }
    public override Interval Enclose(int k, Interval t)
    {
        var v = t.Tanh();
        var d = (Interval.One - v.Square()).Intersect(new Interval(0, 1));
        return k switch { 0 => v, 1 => d, _ => -(new Interval(2, 2) * v * d) };
    }
}

/// <summary>s = 1/(1+e^{-t}); s' = s(1-s), s'' = s(1-s)(1-2s); at 0: 1/2, 1/4, 0. σ(0) ≠ 0.</summary>
public sealed class SigmoidActivation : SmoothActivation
{
    public override string Name => "sigmoid";
    public override bool VanishesAtZero => false;
    public override Rational? Exact(int k, Rational t) =>
        t.IsZero ? k switch { 0 => Rational.Half, 1 => Rational.Create(1, 4), _ => Rational.Zero } : null;
    public override (double, double, double) Evaluate(double t)
    {
        double s = 1 / (1 + Math.Exp(-t)), d = s * (1 - s);
        return (s, d, d * (1 - 2 * s));
    }
    public override Interval Enclose(int k, Interval t)
    {
        var s = t.Sigmoid();
        if (k == 0) return s;
        var d = s * (Interval.One - s);
        return k == 1 ? d : d * (Interval.One - new Interval(2, 2) * s);
    }
}

/// <summary>softplus_β(t) = log(1+e^{βt})/β; ' = s(βt), '' = β s(1-s) with s the sigmoid; at 0: log(2)/β (irrational), 1/2, β/4.</summary>
public sealed class Softplus(Rational beta) : SmoothActivation
{
    public Rational Beta { get; } = beta;
    public override string Name => Beta.IsOne ? "softplus" : $"softplus({Beta})";
    public override bool VanishesAtZero => false;
    public override Rational? Exact(int k, Rational t) =>
        t.IsZero ? k switch { 0 => null, 1 => Rational.Half, _ => Beta * Rational.Create(1, 4) } : null;
    public override (double, double, double) Evaluate(double t)
    {
        double b = Beta.ToDouble(), u = b * t;
        double v = (Math.Max(u, 0) + Math.Log(1 + Math.Exp(-Math.Abs(u)))) / b;
        double s = 1 / (1 + Math.Exp(-u));
        return (v, s, b * s * (1 - s));
    }
    public override Interval Enclose(int k, Interval t)
    {
        var b = Interval.FromRational(Beta);
        var u = b * t;
        if (k == 0) return u.Log1pExp() / b;
        var s = u.Sigmoid();
        return k == 1 ? s : b * s * (Interval.One - s);
    }
}

/// <summary>swish(t) = t s(t); ' = s + t s(1-s); '' = s(1-s)(2 + t(1-2s)); at 0: 0, 1/2, 1/2.</summary>
public sealed class SwishActivation : SmoothActivation
{
    public override string Name => "swish";
    public override bool VanishesAtZero => true;
    public override Rational? Exact(int k, Rational t) =>
        t.IsZero ? k switch { 0 => Rational.Zero, _ => Rational.Half } : null;
    public override (double, double, double) Evaluate(double t)
    {
        double s = 1 / (1 + Math.Exp(-t)), d = s * (1 - s);
        return (t * s, s + t * d, d * (2 + t * (1 - 2 * s)));
    }
    public override Interval Enclose(int k, Interval t)
    {
        var s = t.Sigmoid();
        var d = s * (Interval.One - s);
        return k switch
        {
            0 => t * s,
            1 => s + t * d,
            _ => d * (new Interval(2, 2) + t * (Interval.One - new Interval(2, 2) * s)),
        };
    }
}
