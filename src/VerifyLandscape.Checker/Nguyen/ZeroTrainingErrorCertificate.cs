using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Checker.Nguyen;

/// <summary>
/// nguyen.2.1 (Φ &lt; log(2)/N ⇒ zero training error) and nguyen.2.1-nonstrict (with ≤). Facts: a rational point.
/// The checker recomputes the logits G by its own forward pass in rationals, the premise from
/// D = Π_i Σ_j e^{G_ij} − 2 Π_i e^{G_i,y_i} (Φ &lt; log(2)/N ⟺ D &lt; 0, = ⟺ D = 0: an exact sum of exponentials), and
/// the argmax of every sample; a certificate whose premise fails is not about the claim.
/// </summary>
public static class ZeroTrainingErrorCertificate
{
    [ChecksClaim("nguyen.2.1")] public static string Strict(Certificate c) => Check(c, nonStrict: false);
    [ChecksClaim("nguyen.2.1-nonstrict")] public static string NonStrict(Certificate c) => Check(c, nonStrict: true);

    private static string Check(Certificate c, bool nonStrict)
    {
        var s = c.Spec;
        if (s.Loss != LossKind.CrossEntropy) throw new Reject($"out of the claim's hypotheses: the loss is {NetworkSpec.LossName(s.Loss)}, not cross-entropy");
        NguyenSetting.RequireLocus(c, "fit");
        var labels = NguyenSetting.OneHotLabels(s);
        var theta = NguyenSetting.Point(c);
        var logits = s.X.Select(x => Forward(s, theta, x)).ToArray();

        var all = ExponentialSum.Constant(1);
        var correct = ExponentialSum.Constant(2);
        foreach (var (g, y) in logits.Zip(labels))
        {
            var row = ExponentialSum.Constant(0);
            foreach (var v in g) row += ExponentialSum.Term(1, v);
            all *= row;
            correct *= ExponentialSum.Term(1, g[y]);
        }
        var d = all - correct;
        int sign = d.Sign() ?? throw new Reject($"D = {d} is not 0, but its enclosure does not give its sign");
        if (!(sign < 0 || (nonStrict && sign == 0)))
            throw new Reject($"out of the claim's hypotheses: at the point Φ {(sign == 0 ? "=" : ">")} log(2)/N (D = {d})");
        int wrong = Enumerable.Range(0, logits.Length).FirstOrDefault(i => logits[i].Where((v, j) => j != labels[i] && v >= logits[i][labels[i]]).Any(), -1);
        c.Conclude(wrong < 0, wrong < 0 ? "every label is the unique largest logit" : $"sample {wrong}'s label is not the unique largest logit");
        return wrong < 0
            ? $"Φ {(sign == 0 ? "=" : "<")} log(2)/N at the point (exact) and every label is the unique largest logit (recomputed)"
            : $"Φ {(sign == 0 ? "=" : "<")} log(2)/N at the point (exact), and sample {wrong} is misclassified (recomputed)";
    }

    /// <summary>The network's output at one input, in rationals (σ must be rational there: identity, polynomial, leaky-relu off its kink).</summary>
    private static Rational[] Forward(NetworkSpec s, Rational[] theta, Rational[] x)
    {
        var layout = s.Layout;
        var a = x;
        for (int k = 1; k <= s.Depth; k++)
        {
            var next = new Rational[s.Widths[k]];
            for (int i = 0; i < next.Length; i++)
            {
                var z = s.Bias ? theta[layout.BiasIndex(k, i)] : Rational.Zero;
                for (int j = 0; j < a.Length; j++) z += theta[layout.Weight(k, i, j)] * a[j];
                try { next[i] = s.ActivationOf(k).Apply(z, $"layer {k} unit {i}").Value; }
                catch (Exception e) when (e is NotExactException or NonSmoothPointException) { throw new Reject($"the logits are not rational at the point: {e.Message}"); }
            }
            a = next;
        }
        return a;
    }
}
