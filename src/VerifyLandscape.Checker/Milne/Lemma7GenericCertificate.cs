using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using System.Text.Json.Nodes;

namespace VerifyLandscape.Checker.Milne;

/// <summary>milne.lemma7 by boxes in all weights (any linear network without biases).</summary>
public static class Lemma7GenericCertificate
{
    private readonly record struct QDual(RationalInterval V, RationalInterval A, RationalInterval B, RationalInterval C)
    {
        public static QDual operator +(QDual x, QDual y) => new(x.V + y.V, x.A + y.A, x.B + y.B, x.C + y.C);
        public static QDual operator -(QDual x, QDual y) => new(x.V - y.V, x.A - y.A, x.B - y.B, x.C - y.C);
        public static QDual operator *(QDual x, QDual y) => new(x.V * y.V, x.V * y.A + x.A * y.V, x.V * y.B + x.B * y.V, x.V * y.C + x.A * y.B + x.B * y.A + x.C * y.V);
    }

    /// <summary>ℓ_λ (or ℓ without λ) of a linear network without biases over a box, seeded along θ_p (ε1) and θ_q (ε2).</summary>
    private static QDual LinearLoss(NetworkSpec s, RationalInterval[] box, int p, int q, bool regularised)
    {
        var zero = RationalInterval.Of(0);
        var theta = box.Select((b, i) => new QDual(b, i == p ? RationalInterval.Of(1) : zero, i == q ? RationalInterval.Of(1) : zero, zero)).ToArray();
        var loss = new QDual(zero, zero, zero, zero);
        var scale = RationalInterval.Of(Rational.Create(1, 2 * s.SampleCount));
        for (int n = 0; n < s.SampleCount; n++)
        {
            var a = s.X[n].Select(x => new QDual(RationalInterval.Of(x), zero, zero, zero)).ToArray();
            for (int k = 1; k <= s.Depth; k++)
            {
                var next = new QDual[s.Widths[k]];
                for (int i = 0; i < next.Length; i++)
                {
                    var z = new QDual(zero, zero, zero, zero);
                    for (int j = 0; j < a.Length; j++) z += theta[s.Layout.Weight(k, i, j)] * a[j];
                    next[i] = z;
                }
                a = next;
            }
            var r = a[0] - new QDual(RationalInterval.Of(s.Y[n][0]), zero, zero, zero);
            loss += new QDual(scale, zero, zero, zero) * r * r;
        }
        if (regularised)
        {
            var half = new QDual(RationalInterval.Of(s.WeightDecay / 2), zero, zero, zero);
            foreach (var t in theta) loss += half * t * t;
        }
        return loss;
    }

    /// <summary>
    /// milne.lemma7, generic mode (any linear network without biases): the leaf boxes must tile a cube [−R, R]^P with
    /// R² ≥ the a-priori ball's radius², and each must satisfy its reason, recomputed here in exact rational interval
    /// arithmetic with second-order forward mode.
    /// </summary>
    public static string Check(Certificate c)
    {
        var (spec, facts) = (Lemma7Setting.Require(c), c.Facts);
        int h = spec.Depth - 1, pCount = spec.ParameterCount;
        Rational yy = 0, r2 = 0;
        foreach (var (x, y) in spec.X.Zip(spec.Y))
        {
            yy += y[0] * y[0];
            Rational xx = 0;
            foreach (var v in x) xx += v * v;
            if (xx > r2) r2 = xx;
        }
        var ball = (h + 1) * yy / (4 * spec.SampleCount * spec.WeightDecay);
        var lambda = spec.WeightDecay;
        var boxes = new Dictionary<string, RationalInterval[]>();
        foreach (var leaf in facts["boxes"]!.AsArray())
        {
            string path = (string)leaf![0]!, reason = (string)leaf[1]!;
            var box = leaf[2]!.AsArray().Select(e => new RationalInterval(Rational.Parse((string)e![0]!), Rational.Parse((string)e[1]!))).ToArray();
            if (box.Length != pCount || box.Any(b => b.Hi < b.Lo)) throw new Reject($"box '{path}' is malformed");
            if (path.Any(ch => ch is not ('L' or 'R')) || !boxes.TryAdd(path, box)) throw new Reject($"bad or repeated box path '{path}'");
            bool ok;
            switch (reason)
            {
                case "outside the ball":
                {
                    Rational min = 0;
                    foreach (var b in box) min += b.MinAbs * b.MinAbs;
                    ok = min > ball;
                    break;
                }
                case "gradient":
                    ok = Enumerable.Range(0, pCount).Any(p => !LinearLoss(spec, box, p, -1, true).A.ContainsZero);
                    break;
                case "outside U":
                {
                    // ℓ^{1/2}‖W‖_*^{H−1} ≥ λ/(2H(H+1)r)  ⟸  4H²(H+1)² r² · ℓ_lo · (row-norm² lower bound)^{H−1} ≥ λ².
                    var ell = LinearLoss(spec, box, -1, -1, false).V.Lo;
                    Rational star2 = 0;
                    for (int k = 1; k <= spec.Depth; k++)
                        for (int i = 0; i < spec.Widths[k]; i++)
                        {
                            Rational row = 0;
                            for (int j = 0; j < spec.Widths[k - 1]; j++) { var m = box[spec.Layout.Weight(k, i, j)].MinAbs; row += m * m; }
                            if (row > star2) star2 = row;
                        }
                    Rational power = 1;
                    for (int t = 0; t < h - 1; t++) power *= star2;
                    ok = ell.Sign > 0 && 4 * h * h * (h + 1) * (h + 1) * r2 * ell * power >= lambda * lambda;
                    break;
                }
                case "origin (strictly convex)":
                {
                    ok = box.All(b => b.ContainsZero);
                    for (int i = 0; i < pCount && ok; i++)
                    {
                        Rational off = 0;
                        for (int j = 0; j < pCount; j++) if (j != i) off += LinearLoss(spec, box, i, j, true).C.MaxAbs;
                        ok = LinearLoss(spec, box, i, i, true).C.Lo - off > 0;
                    }
                    break;
                }
                default: ok = false; break;
            }
            if (!ok) throw new Reject($"box '{path}' does not satisfy its reason '{reason}'");
        }
        // Tiling: rebuild internal nodes bottom-up as the hull of their two children, which must agree except in one
        // coordinate, where they meet; the root must contain [−R, R]^P with R² ≥ the ball.
        var nodes = new Dictionary<string, RationalInterval[]>(boxes);
        foreach (var path in boxes.Keys.OrderByDescending(k => k.Length))
            for (int len = path.Length - 1; len >= 0; len--)
            {
                var parent = path[..len];
                if (nodes.ContainsKey(parent)) break;
                if (!nodes.TryGetValue(parent + "L", out var left) || !nodes.TryGetValue(parent + "R", out var right)) break;
                int differ = 0;
                var hull = new RationalInterval[pCount];
                for (int i = 0; i < pCount; i++)
                {
                    if (left[i] == right[i]) { hull[i] = left[i]; continue; }
                    differ++;
                    if (left[i].Hi != right[i].Lo) throw new Reject($"the children of '{parent}' do not meet in coordinate {i}");
                    hull[i] = new RationalInterval(left[i].Lo, right[i].Hi);
                }
                if (differ != 1) throw new Reject($"the children of '{parent}' differ in {differ} coordinates");
                nodes[parent] = hull;
            }
        if (!nodes.TryGetValue("", out var root)) throw new Reject("the boxes do not form a complete subdivision of one cube");
        foreach (var path in nodes.Keys)
            if (path.Length > 0 && !nodes.ContainsKey(path[..^1])) throw new Reject($"box '{path}' hangs outside the subdivision");
        foreach (var b in root)
            if (b.Lo != -b.Hi || b.Hi * b.Hi < ball) throw new Reject($"the root box [{b.Lo}, {b.Hi}] does not contain the a-priori ball (R² = {ball})");
        return ($"{boxes.Count} boxes tile a cube around the a-priori ball and each satisfies its reason (exact rational interval arithmetic): no non-zero critical point in U(λ)");
    }

}
