using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Checker;

/// <summary>
/// The checker's own derivatives: forward mode with hyper-dual numbers v + a ε1 + b ε2 + c ε1ε2 (ε1² = ε2² = 0)
/// over the exact ring, one pass per gradient or Hessian entry, where the producer uses reverse mode and the
/// R-operator. The squared losses sse (Cooper) and mse with ridge (Freeman–Bruna) are what the certificates need.
/// </summary>
public static class ForwardMode
{
    public readonly record struct HyperDual(Sym V, Sym A, Sym B, Sym C)
    {
        public static HyperDual operator +(HyperDual x, HyperDual y) => new(x.V + y.V, x.A + y.A, x.B + y.B, x.C + y.C);
        public static HyperDual operator -(HyperDual x, HyperDual y) => new(x.V - y.V, x.A - y.A, x.B - y.B, x.C - y.C);
        public static HyperDual operator *(HyperDual x, HyperDual y) =>
            new(x.V * y.V, x.V * y.A + x.A * y.V, x.V * y.B + x.B * y.V, x.V * y.C + x.A * y.B + x.B * y.A + x.C * y.V);
        public static HyperDual Constant(Sym v) => new(v, Sym.Zero, Sym.Zero, Sym.Zero);
        /// <summary>σ(v + …) = σ(v) + σ'(v)(a ε1 + b ε2 + c ε1ε2) + σ''(v) a b ε1ε2.</summary>
        public HyperDual Apply(Activation sigma)
        {
            var jet = sigma.Apply(V, "certificate check");
            return new(jet.Value, jet.First * A, jet.First * B, jet.First * C + jet.Second * A * B);
        }
    }

    /// <summary>∂L/∂θ_p (q null) or ∂²L/∂θ_p∂θ_q of the sse loss, by one forward pass.</summary>
    public static Sym Derivative(NetworkSpec s, Sym[] theta, int p, int? q) =>
        q is null ? Loss(s, theta, p, null, out _).A : Loss(s, theta, p, q, out _).C;

    /// <summary>The first parameter whose ∂L/∂θ_p is not the ring's zero at θ (with that entry), or null: a zero gradient.</summary>
    public static (int P, Sym Value)? NonZeroGradientEntry(NetworkSpec s, Sym[] theta)
    {
        for (int p = 0; p < theta.Length; p++)
            if (Derivative(s, theta, p, null) is { IsZero: false } g) return (p, g);
        return null;
    }

    /// <summary>The sse loss seeded along θ_p (ε1) and θ_q (ε2); also the last hidden layer's values per sample.</summary>
    public static HyperDual Loss(NetworkSpec s, Sym[] theta, int p, int? q, out Sym[][] features)
    {
        // c Σ ‖f − y‖²: sse (c = 1, Cooper) or mse (c = 1/N, Freeman–Bruna); plus (λ/2) Σ θ_w² over the weights.
        var scale = s.Loss switch
        {
            LossKind.Sse => Rational.One,
            LossKind.HalfSse => Rational.Half,
            LossKind.Mse => Rational.Create(1, s.SampleCount),
            _ => throw new Reject($"the checker's forward mode is for the sse, half-sse and mse losses, not {NetworkSpec.LossName(s.Loss)}"),
        };
        if (!s.L1Penalty.IsZero) throw new Reject("the checker's forward mode has no ℓ1 penalty");
        var outputs = Outputs(s, theta, p, q, out features);
        var loss = HyperDual.Constant(Sym.Zero);
        for (int n = 0; n < s.SampleCount; n++)
            for (int o = 0; o < s.OutputWidth; o++)
            {
                var r = outputs[n][o] - HyperDual.Constant(s.Y[n][o]);
                loss += r * r;
            }
        loss = HyperDual.Constant(scale) * loss;
        if (!s.WeightDecay.IsZero)
            for (int i = 0; i < theta.Length; i++)
                if (s.Layout.IsWeight(i))
                {
                    var t = Seeded(theta, i, p, q);
                    loss += HyperDual.Constant(s.WeightDecay / 2) * t * t;
                }
        return loss;
    }

    /// <summary>θ_i as a hyper-dual number seeded along θ_p (ε1) and θ_q (ε2).</summary>
    private static HyperDual Seeded(Sym[] theta, int i, int p, int? q) =>
        new(theta[i], i == p ? Sym.One : Sym.Zero, q is { } qq && i == qq ? Sym.One : Sym.Zero, Sym.Zero);

    /// <summary>f(x_n) for every sample as hyper-dual numbers (the A parts of a pass seeded along θ_p form a column of J).</summary>
    public static HyperDual[][] Outputs(NetworkSpec s, Sym[] theta, int p, int? q, out Sym[][] features)
    {
        var layout = s.Layout;
        features = new Sym[s.SampleCount][];
        // Every weight and bias slot: a free one carries θ's value (and seed), a frozen one its constant.
        var param = new HyperDual[layout.SlotCount];
        for (int slot = 0; slot < param.Length; slot++)
            param[slot] = layout.FreeOf(slot) is var f and >= 0 ? Seeded(theta, f, p, q) : HyperDual.Constant(layout.FrozenValue(slot)!.Value);
        var outputs = new HyperDual[s.SampleCount][];
        for (int n = 0; n < s.SampleCount; n++)
        {
            var a = s.X[n].Select(x => HyperDual.Constant(x)).ToArray();
            for (int k = 1; k <= s.Depth; k++)
            {
                var sigma = s.ActivationOf(k);
                var next = new HyperDual[s.Widths[k]];
                for (int i = 0; i < next.Length; i++)
                {
                    var z = layout.HasBias(k) ? param[layout.BiasIndex(k, i)] : HyperDual.Constant(Sym.Zero);
                    for (int j = 0; j < a.Length; j++) z += param[layout.Weight(k, i, j)] * a[j];
                    next[i] = z.Apply(sigma);
                }
                a = next;
                if (k == s.Depth - 1) features[n] = a.Select(x => x.V).ToArray();
            }
            outputs[n] = a;
        }
        return outputs;
    }
}
