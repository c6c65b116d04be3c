using System.Text.Json.Nodes;
using FsCheck.Fluent;
using VerifyLandscape.Certificates;
using VerifyLandscape.Checker;
using VerifyLandscape.Claims;
using VerifyLandscape.Claims.Cooper;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Tests;

/// <summary>
/// Meaning-changing edits of shipped certificates, one row each: the certificate, the edits (JSON pointer → new JSON
/// value; the pointer's last segment is added when missing), and a fragment of the reason the checker must give.
/// Every row first checks that the untouched certificate is valid, so a row cannot pass because the file is broken,
/// and asserts the reason, so it cannot pass because the checker crashed.
/// </summary>
public class CertificateTamperingTests
{
    private const string C32 = "cooper.3.2/depth4-tanh-m2-core12";
    private const string Saddle = "cooper.5.16/star-saddle-counterexample";

    public static TheoryData<string, string, string> Rows => new()
    {
        // every format: the format, a verdict the facts do not support, a claim the instance does not name
        { C32, "/format = \"verifylandscape-certificate/0\"", "unknown format" },
        { C32, "/verdict = \"refuted\"", "does not follow from the facts" },
        { C32, "/verdict = \"inconclusive\"", "only a proof (certified) or a counterexample (refuted)" },
        { C32, "/claim = \"cooper.3.1\"", "the instance names claim" },
        // cooper.3.2: the Hessian, its LDLᵀ, the inertia, the locus, the data, the hypotheses
        { C32, "/facts/hessianNonZero/b4[1],b4[1] = \"7\"", "H[b4[1], b4[1]] recomputes to 6" },
        { C32, "/facts/hessianNonZero = {}", "H[b4[0], b4[0]] recomputes to 6" },
        { C32, "/facts/ldl/D/0,0 = \"5\"", "L D Lᵀ differs" },
        { C32, "/facts/ldl/D/0,-1 = \"1\"", "D has an entry at '0,-1', outside the 24×24 matrix" },
        { C32, "/facts/ldl/L/3,7 = \"1\"", "on or above the diagonal" },
        { C32, "/facts/ldl/permutation = [0]", "not a permutation" },
        { C32, "/facts/inertia/positive = 1; /facts/inertia/zero = 23", "the inertia recomputed from D is (2, 0, 22)" },
        { C32, "/facts/ldl = null", "'ldl' is missing" },
        { C32, "/facts/locus/fixed/b4[0] = \"1\"", "the locus sets b4[0] = 1" },
        { C32, "/facts/locus/fixed = {}", "the locus fixes 0 parameters" },
        { C32, "/instance/spec/data/y/0/0 = \"5\"", "the locus sets b4[0]" },
        { C32, "/instance/spec/outputActivation = \"tanh\"", "not an affine output layer" },
        { C32, "/instance/spec/activation = \"sigmoid\"", "σ(0) ≠ 0 for sigmoid" },
        { C32, "/instance/spec/activation = \"relu\"", "relu is not smooth" },
        { C32, "/instance/spec/loss = \"half-mse\"", "not sse" },
        { C32, "/instance/locus = \"star:1\"", "is not core:I,J" },
        { C32, "/instance/locus = \"core:2,2\"", "does not name 2 distinct hidden layers" },
        { C32, "/instance/spec/widths = [2, 2, 1]", "instance.spec" },
        // cooper.3.2-literal: a refutation whose inertia is the claimed one is not a refutation
        { "cooper.3.2-literal/depth4-tanh-m2-core12", "/verdict = \"certified\"", "inertia (2, 0, 22), the claim says (1, 0, 23)" },
        // cooper.3.1: certified needs the whole gradient to vanish; a refutation needs its point
        { "cooper.3.1/depth4-tanh-star1", "/verdict = \"refuted\"", "'nonCriticalPoint' is missing" },
        { "cooper.3.1/depth4-tanh-star1", "/instance/spec/activation = \"sigmoid\"", "σ(0) ≠ 0" },
        { "cooper.3.1/depth4-tanh-star1", "/facts/locus/fixed/W4[0,0] = \"1\"", "the locus sets W4[0,0] = 1" },
        // the -without-sigma0 variants: σ(0) ≠ 0 is allowed, the rest of the setting is not; renamed to the claim with σ(0) = 0 they are rejected
        { "cooper.3.1-without-sigma0/depth3-sigmoid-star1", "/verdict = \"refuted\"", "'nonCriticalPoint' is missing" },
        { "cooper.3.1-without-sigma0/depth3-sigmoid-star1", "/claim = \"cooper.3.1\"; /instance/claim = \"cooper.3.1\"", "σ(0) ≠ 0 for sigmoid" },
        { "cooper.3.1-without-sigma0/depth3-sigmoid-star1", "/instance/spec/activation = \"relu\"", "relu is not smooth" },
        { "cooper.3.1-without-sigma0/depth4-softplus-star2", "/facts/locus/fixed/b3[0] = \"1\"", "the locus sets b3[0] = 1" },
        { "cooper.3.2-without-sigma0/depth4-tanh-core12", "/verdict = \"refuted\"", "does not follow from the facts" },
        { "cooper.3.2-without-sigma0/depth4-tanh-core12", "/facts/hessianNonZero = {}", "recomputes to" },
        { "cooper.3.2-without-sigma0/depth4-tanh-core12", "/instance/locus = \"core:1,1\"", "does not name 2 distinct hidden layers" },
        // cooper.5.16 at a star locus: the saddle counterexample relabelled as other claims or loci
        { Saddle, "/claim = \"cooper.3.2\"; /instance/claim = \"cooper.3.2\"", "is not core:I,J" },
        { Saddle, "/claim = \"cooper.3.2-literal\"; /instance/claim = \"cooper.3.2-literal\"", "is not core:I,J" },
        { Saddle, "/claim = \"cooper.3.2\"; /instance/claim = \"cooper.3.2\"; /instance/locus = \"core:1\"", "does not name 2 distinct hidden layers" },
        { Saddle, "/instance/locus = \"core:1,2\"", "is not star:J" },
        { Saddle, "/verdict = \"certified\"", "1 zero eigenvalues (inertia (4, 2, 1)), bound m·n_ℓ−1 = 2" },
        { Saddle, "/instance/spec/outputActivation = \"sigmoid\"", "not an affine output layer" },
        // cooper.5.16 by null vectors
        { "cooper.5.16/depth4-tanh-star2", "/facts/nullVectors/zeroRows = [\"b4[0]\"]", "H[b4[0], b4[0]] is not identically 0" },
        { "cooper.5.16/depth4-tanh-star2", "/facts/nullVectors/zeroRows = []", "0 independent null vectors, bound 2" },
        { "cooper.5.16/depth4-tanh-star2", "/verdict = \"refuted\"", "cannot refute" },
        // cooper.5.16 and cooper.gm at a global minimum
        { "cooper.5.16/depth3-polynomial-m2-globalmin1", "/facts/point/W1[0,0] = \"17/3\"", "not 0: not a global minimum" },
        { "cooper.5.16/depth3-polynomial-m2-globalmin1", "/facts/augmentedFeatureRank = 1", "rank [Φ; 1ᵀ] recomputes to 4" },
        { "cooper.5.16/depth3-polynomial-m2-globalmin1", "/instance/locus = \"star:1\"", "'locus' is missing" },
        { "cooper.gm/depth3-polynomial-m2-globalmin1", "/verdict = \"refuted\"", "does not follow from the facts" },
        { "cooper.gm/depth4-relu-globalmin3", "/facts/point/W4[0,0] = \"17/3\"", "not 0: not a global minimum" },
        { "cooper.gm/depth3-polynomial-m2-globalmin1", "/instance/locus = \"fibre:1\"", "is not global-min:SEED" },
        { "cooper.gm/depth3-polynomial-m2-globalmin1", "/instance/spec/bias = false", "no biases" },
        // cooper.dim
        { "cooper.dim/depth4-tanh-core12", "/facts/dimensions = {}", "states 0 dimensions" },
        { "cooper.dim/depth4-tanh-core12", "/verdict = \"refuted\"", "does not follow from the facts" },
        { "cooper.dim/depth4-tanh-core12", "/facts/dimensions/S_1/rank = 9", "dim S_1" },
        // cooper.5.8
        { "cooper.5.8/depth3-tanh-fibre3", "/facts/minorRows = [5, 5, 0, 2, 3]", "are not 5 distinct units" },
        { "cooper.5.8/depth3-tanh-fibre3", "/facts/minorRows = [5, 4, 0]", "are not 5 distinct units" },
        { "cooper.5.8/depth3-tanh-fibre3", "/instance/spec/data/x/1 = [\"0\"]", "does not exclude 0" },            // two equal inputs: rank Φ < N
        { "cooper.5.8/depth3-polynomial-m2-fibre1", "/instance/spec/data/x/1 = [\"-1/2\", \"0\"]", "is singular" },
        { "cooper.5.8/depth3-tanh-fibre3", "/verdict = \"refuted\"", "only a proof" },
        // nguyen.2.1: the premise and the argmax are recomputed from the spec and the point
        { "nguyen.2.1/polynomial-3class-fit8", "/verdict = \"refuted\"", "does not follow from the facts" },
        { "nguyen.2.1/polynomial-3class-fit8", "/instance/spec/loss = \"sse\"", "not cross-entropy" },
        { "nguyen.2.1/polynomial-3class-fit8", "/instance/spec/data/y/0 = [\"1\", \"1\", \"0\"]", "the target of sample 0 is not one-hot" },
        { "nguyen.2.1/polynomial-3class-fit8", "/instance/locus = \"star:1\"", "is not fit:SEED" },
        { "nguyen.2.1/polynomial-3class-fit8", "/facts/point = {}", "the point names 0 parameters" },
        { "nguyen.2.1-nonstrict/identity-1sample-tie", "/claim = \"nguyen.2.1\"; /instance/claim = \"nguyen.2.1\"", "Φ = log(2)/N" },
        { "nguyen.2.1-nonstrict/identity-1sample-tie", "/verdict = \"certified\"", "sample 0's label is not the unique largest logit" },
        { "nguyen.2.1-nonstrict/identity-1sample-tie", "/facts/point/b2[1] = \"1\"", "every label is the unique largest logit" },
        { "nguyen.2.1-nonstrict/identity-1sample-tie", "/instance/spec/activation = \"tanh\"; /facts/point/b1[0] = \"1\"", "not rational" },
        // nguyen.3.2: Assumption 3.1 and the minor, recomputed in intervals; the rank bounds of the any-activation variant
        { "nguyen.3.2/sigmoid-skip", "/verdict = \"refuted\"", "only a certified verdict" },
        { "nguyen.3.2/sigmoid-skip", "/instance/spec/activation = \"tanh\"", "3.1.2" },
        { "nguyen.3.2/sigmoid-skip", "/instance/spec/activation = \"relu\"", "3.1.1" },
        { "nguyen.3.2/sigmoid-skip", "/instance/spec/data/x/1 = [\"0\", \"1\"]", "3.1.3" },
        { "nguyen.3.2/sigmoid-skip", "/facts/minorUnits/3 = [1, 1]", "is not one the output reads" },
        { "nguyen.3.2/sigmoid-skip", "/facts/minorUnits/3 = [1, 0]", "names a unit twice" },
        { "nguyen.3.2/sigmoid-skip", "/facts/point/W1[1,0] = \"0\"; /facts/point/W1[1,1] = \"0\"; /facts/point/W1[0,0] = \"0\"; /facts/point/W1[0,1] = \"0\"; /facts/point/b1[0] = \"0\"; /facts/point/b1[2] = \"0\"; /facts/point/W1[2,0] = \"0\"; /facts/point/W1[2,1] = \"0\"", "could not be proved non-singular" },
        { "nguyen.3.2/sigmoid-skip", "/instance/locus = \"fit:1\"", "is not random:SEED" },
        { "nguyen.3.2/softplus-skip", "/instance/spec/bias = false", "no biases" },
        { "nguyen.3.2-any-activation/tanh-skip", "/instance/spec/activation = \"relu\"", "is not analytic" },
        { "nguyen.3.2-any-activation/cubic-degree-bound", "/facts/rankAtMost = 3", "the certificate says 3" },
        { "nguyen.3.2-any-activation/cubic-degree-bound", "/instance/spec/activation = \"sigmoid\"", "the certificate says 4" },
        { "nguyen.3.2-any-activation/cubic-degree-bound", "/facts/bound = \"polynomial\"; /facts/degree = 3; /instance/spec/activation = \"sigmoid\"", "not a polynomial" },
        { "nguyen.3.2-any-activation/cubic-degree-bound", "/verdict = \"certified\"", "'point' is missing" },
        { "nguyen.3.2-any-activation/duplicate-inputs", "/facts/samples = [0, 1]", "does not name two samples with the same input" },
        { "nguyen.3.2-any-activation/leakyrelu-linear-pieces", "/facts/point/b1[0] = \"0\"", "not strictly inside one linear piece" },
        { "nguyen.3.2-any-activation/leakyrelu-linear-pieces", "/instance/spec/data/x = [[\"-1\"], [\"0\"]]; /instance/spec/data/y = [[0], [1]]", "is not below N" },
        { "nguyen.3.2-any-activation/relu-dead-layers", "/facts/point/b1[0] = \"100\"", "not strictly inside its dead piece" },
        { "nguyen.3.2-any-activation/relu-dead-layers", "/facts/bound = \"units\"", "the certificate says 0" },
        // 001 on a convolutional DAG: the shared bias, an input read above layer 1, a repeated patch; the constant columns recomputed
        { "nguyen.3.2/dag-convolution", "/instance/spec/shared/1 = [\"b1[0]\", \"b1[1]\"]", "b1[0] is shared or frozen" },
        { "nguyen.3.2/dag-convolution", "/instance/spec/reads/2 = [[1, 0], [0, 1]]", "hidden layer 2 reads an input coordinate" },
        { "nguyen.3.2/dag-convolution", "/instance/spec/data/x/1 = [\"1\", \"0\", \"5\", \"5\"]", "agree on the patch of unit [1,0]" },
        { "nguyen.3.2-any-activation/shared-bias-constant-patch", "/facts/units = [[1, 2], [1, 3]]", "unit [1,2] is not one the output reads with a patch constant" },
        { "nguyen.3.2-any-activation/shared-bias-constant-patch", "/instance/spec/data/x/0/4 = \"1\"", "unit [1,3] is not one the output reads with a patch constant" },
        { "nguyen.3.2-any-activation/shared-bias-constant-patch", "/facts/rankAtMost = 4", "the certificate says 4" },
        { "nguyen.3.2-any-activation/shared-bias-constant-patch", "/facts/bound = \"dead-layer\"", "follows a layered wiring" },
        // nguyen.crit / .ray / .3.3: the minor and each inequality recomputed at the point
        { "nguyen.crit/sigmoid-skip", "/verdict = \"refuted\"", "only a certified verdict" },
        { "nguyen.crit/sigmoid-skip", "/instance/spec/loss = \"sse\"", "not cross-entropy" },
        { "nguyen.crit/sigmoid-skip", "/facts/minorUnits/0 = [1, 1]", "is not one the output reads" },
        { "nguyen.crit/sigmoid-skip", "/facts/minorUnits = [[1, 0], [1, 2], [2, 0]]", "needs N = 4 distinct units" },
        { "nguyen.ray/sigmoid-skip", "/instance/spec/data/y/0 = [\"1\", \"1\", \"0\"]", "not one-hot" },
        { "nguyen.ray/softplus-skip", "/instance/locus = \"fit:2\"", "is not random:SEED" },
        { "nguyen.3.3/sigmoid-skip", "/instance/spec/widths = [2, 4, 3, 1]; /instance/spec/data/y = [[\"1\"], [\"1\"], [\"1\"], [\"1\"]]", "one output" },
        { "nguyen.3.3/softplus-skip", "/facts/point/W1[0,0] = \"0\"; /facts/point/W1[1,0] = \"0\"; /facts/point/b1[0] = \"0\"; /facts/point/b1[1] = \"0\"", "could not be proved non-singular" },
        // freeman.2.2-printed / -ridge: the disconnection recomputed (points, separator, fit, eigenvalue bounds, level)
        { "freeman.2.2-printed/square-2-2-2", "/facts/level = \"1\"", "is not below ‖E‖² + ab" },
        { "freeman.2.2-printed/scalar-1-1-1", "/facts/pointB/W1[0,0] = \"1\"; /facts/pointB/W2[0,0] = \"1\"", "does not change sign" },
        { "freeman.2.2-printed/scalar-1-1-1", "/facts/pointB/W2[0,0] = \"1\"", "is not in Ω(0)" },
        { "freeman.2.2-printed/square-2-2-2", "/facts/fit/0/0 = \"3\"", "not the least-squares one" },
        { "freeman.2.2-printed/square-2-2-2", "/facts/inputEigenvalueBound = \"2\"", "λ_min(X Xᵀ) < 2" },
        { "freeman.2.2-printed/square-2-2-2", "/facts/separator/layer = 2", "is not a hidden layer" },
        { "freeman.2.2-printed/scalar-1-1-1", "/instance/spec/weightDecay = \"1/2\"", "the claim as printed has κ = 0" },
        { "freeman.2.2-printed/scalar-1-1-1", "/verdict = \"certified\"", "must be 'refuted'" },
        { "freeman.2.2-printed/widths-1-2-1-1", "/instance/spec/activation = \"relu\"", "not linear" },
        { "freeman.2.2-ridge/scalar-kappa-quarter", "/instance/spec/weightDecay = \"0\"", "K = 2 and κ > 0" },
        { "freeman.2.2-ridge/scalar-kappa-quarter", "/instance/spec/penalty = {\"l1\": \"1\"}", "no ℓ1 penalty" },
        // freeman.2.2 and freeman.dss: the path recomputed (exact polynomial enclosures; interval enclosures), and the pair
        { "freeman.2.2/scalar-1-2-1", "/facts/level = \"1/4\"", "F is only bounded by" },
        { "freeman.2.2/scalar-1-2-1", "/facts/beads/1/W1[0,0] = \"0\"; /facts/beads/1/W1[1,0] = \"0\"", "F is only bounded by" },
        { "freeman.2.2/scalar-1-2-1", "/facts/beads/2/W1[1,0] = \"5\"", "not the first with unit 0 of layer 1 negated" },
        { "freeman.2.2/scalar-1-2-1", "/facts/segments/0/cuts = [\"0\", \"1/2\"]", "must run from 0 to 1" },
        { "freeman.2.2/scalar-1-2-1", "/facts/segments/0/cuts = [\"0\", \"1/2\", \"1/4\", \"1\"]", "not increasing" },
        { "freeman.2.2/scalar-1-2-1", "/facts/segments/1 = null", "'cuts' is missing" },
        { "freeman.2.2/square-2-3-2", "/instance/spec/widths = [2, 2, 2]", "is not > min(n_in, n_out) = 2" },
        { "freeman.2.2/square-2-3-2", "/verdict = \"refuted\"", "must be 'certified'" },
        { "freeman.dss/quadratic-L0-0.05-samples-1000", "/facts/level = \"1/100\"", "F is only bounded by" },
        { "freeman.dss/quadratic-L0-0.05-samples-1000", "/facts/segments/0/cuts = [\"0\", \"1\"]", "F is only bounded by" },
        { "freeman.dss/quadratic-L0-0.05-samples-1000", "/instance/locus = \"pair:0\"", "is not string:PAIR" },
        // freeman.2.2-path: the lift rebuilt from θᴬ, θᴮ and V; each failure (and the certified identity) recomputed
        { "freeman.2.2-path/square-unit-negated", "/facts/failure/t = \"1/3\"", "is invertible" },
        { "freeman.2.2-path/square-random-crossing", "/facts/failure/lo = \"1/2\"; /facts/failure/hi = \"1\"", "has no root in" },
        { "freeman.2.2-path/tall-1-2-3", "/facts/failure/kind = \"endpoint\"; /facts/failure/t = \"0\"", "no endpoint failure" },
        { "freeman.2.2-path/tall-1-2-3", "/facts/curve/0/0 = \"0\"; /facts/curve/0/1 = \"0\"; /facts/curve/1/0 = \"0\"; /facts/curve/1/1 = \"0\"; /facts/curve/2/0 = \"0\"; /facts/curve/2/1 = \"0\"; /facts/pointB = {\"W1[0,0]\": \"1\", \"W1[1,0]\": \"0\", \"W2[0,0]\": \"1\", \"W2[0,1]\": \"0\", \"W2[1,0]\": \"0\", \"W2[1,1]\": \"1\", \"W2[2,0]\": \"0\", \"W2[2,1]\": \"0\"}; /facts/pointA = {\"W1[0,0]\": \"2\", \"W1[1,0]\": \"0\", \"W2[0,0]\": \"1\", \"W2[0,1]\": \"0\", \"W2[1,0]\": \"0\", \"W2[1,1]\": \"1\", \"W2[2,0]\": \"0\", \"W2[2,1]\": \"0\"}", "W₂W₁ = W̃ at t = 1/11" },
        { "freeman.2.2-path/square-random-holds", "/facts/curve/0/0 = \"-20\"", "root(s) in (0, 1)" },
        { "freeman.2.2-path/square-random-holds", "/verdict = \"refuted\"", "must be 'certified'" },
        { "freeman.2.2-path/wide-1-2-1", "/facts/failure = null", "must be 'certified'" },
        { "freeman.2.2-path/wide-1-2-1", "/instance/spec/widths = [1, 1, 1]; /facts/pointA = {\"W1[0,0]\": \"1\", \"W2[0,0]\": \"1\"}; /facts/pointB = {\"W1[0,0]\": \"-1\", \"W2[0,0]\": \"-1\"}; /facts/curve = [[\"0\"]]", "≤ min(n_in, n_out)" },
        // freeman.2.3-gaussian: series constants, coverage of the α range and every piece's enclosure recomputed
        { "freeman.2.3-gaussian/whole-range", "/facts/delta = \"3\"", "series bounds are not positive" },
        { "freeman.2.3-gaussian/whole-range", "/facts/upperCuts = [\"1/2\", \"3/2\"]", "must run from δ = 1/2 to at least" },
        { "freeman.2.3-gaussian/whole-range", "/facts/upperCuts = [\"1/2\", \"2\"]", "not shown > 0" },
        { "freeman.2.3-gaussian/whole-range", "/verdict = \"refuted\"", "must be 'certified'" },
        // freeman.ridge-deep: gradient and Hessian at 0 recomputed in forward mode; the lower point recomputed
        { "freeman.ridge-deep/scalar-1-1-1-1", "/facts/point/W1[0,0] = \"1\"", "is not θ = 0" },
        { "freeman.ridge-deep/scalar-1-1-1-1", "/facts/lowerPoint/W1[0,0] = \"0\"", "not below F(0)" },
        { "freeman.ridge-deep/scalar-1-1-1-1", "/instance/spec/widths = [1, 1]; /instance/spec/data/y = [[\"1\"]]", "no hidden layer" },
        { "freeman.ridge-deep/scalar-1-1-1-1", "/facts/hessianNonZero/W1[0,0],W1[0,0] = \"1\"", "recomputes to 1/50" },
        { "freeman.ridge-deep/scalar-1-1-1-1", "/instance/spec/weightDecay = \"0\"", "κ = 0" },
        // freeman.2.3 and its remarks: unit vectors, the ‖Σ_X‖ enclosure and each inequality recomputed
        { "freeman.2.3/point-mass-e1-e2", "/facts/w1 = [\"1\", \"1\"]", "not a unit vector" },
        { "freeman.2.3/point-mass-e1-e2", "/facts/sigmaNormLower = \"3\"; /facts/sigmaNormUpper = \"3\"", "‖Σ_X‖ < 3" },
        { "freeman.2.3/cross-seed-5", "/facts/sigmaNormUpper = \"1/4\"", "is not an enclosure" },
        { "freeman.2.3/cross-seed-5", "/facts/sigmaNormLower = \"0\"; /facts/sigmaNormUpper = \"1/4\"", "‖Σ_X‖ > 1/4" },
        { "freeman.2.3/point-mass-e1-e2", "/verdict = \"refuted\"", "does not follow from the facts" },
        { "freeman.2.3-r1/point-mass-e1-e2", "/instance/spec/data/x/0 = [\"1\", \"-1\"]", "does not follow from the facts" },
        { "freeman.2.3-r2/cross-e1", "/facts/w2 = [\"0\", \"1\"]", "must equal w2" },
        { "freeman.2.3-r2/cross-e1", "/instance/spec/data/x = [[\"2\", \"0\"]]; /instance/spec/data/y = [[\"0\"]]", "‖Σ_X‖ > 1/2" },
        // milne.lemma7: boxes in (p, s), the balanced reduction, boxes in all weights
        { "milne.lemma7/1-2-1-lambda0.02", "/facts/leaves/2/1 = \"outside-U\"", "does not satisfy its reason 'outside-U'" },
        { "milne.lemma7/1-2-1-lambda0.02", "/facts/leaves/0/0 = \"LL\"", "the boxes do not cover the domain" },
        { "milne.lemma7/1-2-1-lambda0.02", "/facts/epsilon = \"1000\"", "ε = 1000" },
        { "milne.lemma7/1-2-1-lambda0.02", "/instance/spec/data/y/0/0 = \"3\"", "the data give" },
        { "milne.lemma7/1-2-1-lambda0.02", "/verdict = \"refuted\"", "only a certified lemma 7" },
        { "milne.lemma7/1-2-2-1-lambda0.02", "/facts/T = \"1/1000\"", "below the a-priori bound" },
        { "milne.lemma7/1-2-2-1-lambda0.02", "/facts/determinant/0 = \"7\"", "K(t)·a(t) ≠ d(t)·b" },
        { "milne.lemma7/1-2-2-1-lambda0.02", "/facts/leaves/1/1 = \"not critical\"", "does not satisfy its reason 'not critical'" },
        { "milne.lemma7/1-2-2-1-lambda0.02", "/instance/spec/weightDecay = \"1/1000\"", "T = 175/608 is below" },
        { "milne.lemma7/1-2-2-1-lambda0.02", "/facts/method = \"magic\"", "unknown lemma 7 method" },
        { "milne.lemma7/1-2-2-1-lambda0.4-generic", "/facts/boxes/0/2/0/1 = \"1/1000\"", "does not contain the a-priori ball" },
        { "milne.lemma7/1-2-2-1-lambda0.4-generic", "/facts/boxes/0/1 = \"gradient\"", "does not satisfy its reason 'gradient'" },
        { "milne.lemma7/1-2-2-1-lambda0.4-generic", "/instance/spec/weightDecay = \"1/1000\"", "does not satisfy its reason" },
        // du.hinf, du.hinf-iff: H∞ recomputed from the inputs, the LDLᵀ of H∞ − cI, the pair, the null vector
        { "du.hinf/three-120", "/facts/lambda0Lower = \"1/2\"", "is not proved positive definite" },
        { "du.hinf/three-120", "/facts/lambda0Lower = \"0\"", "is not positive" },
        { "du.hinf/three-120", "/instance/spec/outputScale = \"1\"", "is not m^(-1/2)" },
        { "du.hinf/three-120", "/instance/spec/data/x/0 = [\"1\", \"1\", \"0\", \"0\"]", "‖x_0‖ ≠ 1" },
        { "du.hinf/pythagorean-2d", "/instance/spec/data/x/3 = [\"-3/5\", \"-4/5\"]", "x_0 and x_3 are parallel" },
        { "du.hinf/pythagorean-2d", "/instance/spec/frozen/W2[0,0] = \"2\"", "is not frozen at ±1" },
        { "du.hinf-iff/antipodal-1d", "/verdict = \"certified\"", "does not follow from the facts" },
        { "du.hinf-iff/antipodal-1d", "/instance/spec/data/x/1 = [\"1\"]", "x_1 is not −x_0" },
        { "du.hinf-iff/hexagon-24cell", "/facts/nullVector/0 = \"2\"", "≠ 0" },
        { "du.hinf-iff/hexagon-24cell", "/facts/pair = [0, 1]", "are not parallel" },
        // du.gram, du.psd, du.psd-any-layers: J and ∇²L by the checker's forward mode at the point, H by its formula
        { "du.gram/three-120-point-5", "/verdict = \"refuted\"", "does not follow from the facts" },
        { "du.gram/three-120-point-5", "/facts/point/W1[0,0] = \"0\"", "is a kink" },
        { "du.gram/three-120-point-5", "/instance/spec/loss = \"sse\"", "not ½Σ(f − y)²" },
        { "du.psd/pythagorean-2d-point-4", "/verdict = \"refuted\"", "does not follow from the facts" },
        { "du.psd/pythagorean-2d-point-4", "/instance/spec/frozen/W2[0,3] = \"1/2\"", "is not frozen at ±1" },
        { "du.psd-any-layers/deeper-point-2", "/verdict = \"certified\"", "does not follow from the facts" },
        { "du.psd-any-layers/deeper-point-2", "/instance/spec/activation = \"tanh\"", "not a bias-free relu network" },
        // golikov.wide*: the minor recomputed in intervals, the identity's conditions read from the spec, the dead point recomputed
        { "golikov.wide/sigmoid-x-negx-0", "/instance/spec/bias = false", "has no biases" },
        { "golikov.wide/sigmoid-x-negx-0", "/instance/spec/activation = \"relu\"", "σ is relu" },
        { "golikov.wide/tanh-deep", "/facts/minorUnits/0 = [2, 1]", "distinct units" },
        { "golikov.wide-no-bias/sigmoid-x-negx-0", "/instance/spec/data/x/2 = [\"2\"]", "does not follow from the spec" },
        { "golikov.wide-no-bias/sigmoid-x-negx-0", "/verdict = \"certified\"", "'point' is missing" },
        { "golikov.wide-no-bias/tanh-pair-deep", "/instance/spec/activation = \"sigmoid\"", "does not follow from the spec" },
        { "golikov.wide-relu/relu-wide", "/facts/point/b1[0] = \"5\"", "is not dead" },
        // golikov.linear*: R(d) and F recomputed from the spec, the formula's minimum recomputed, the dead layer recomputed
        { "golikov.linear/three-layer-origin", "/facts/direction/W3[0,0] = \"-1\"", "the path does not descend" },
        { "golikov.linear/two-layer-origin", "/instance/spec/bias = true", "has biases" },
        { "golikov.linear/zero-correlation-origin", "/instance/spec/data/y/1 = [\"1\"]", "does not follow from the facts" },
        { "golikov.linear/two-layer-trained", "/facts/point/W1[0,0] = \"5\"", "exceeds the formula's minimum" },
        { "golikov.linear/two-layer-trained", "/instance/spec/data/x/2 = [\"2\", \"0\"]", "exceeds the formula's minimum" },
        { "golikov.linear-ridge/ridge-origin", "/instance/spec/weightDecay = \"100\"", "does not follow from the facts" },
        { "golikov.linear-ridge/ridge-origin", "/instance/spec/widths = [1, 2, 1]", "H ≥ 3" },
        { "golikov.linear-relu/relu-dead", "/facts/deadPoint/W1[0,0] = \"1\"", "is not dead" },
        { "golikov.linear-relu/relu-dead", "/instance/spec/activation = \"identity\"", "not all relu" },
        // golikov.nh35*: F_k, T_θ and L recomputed in intervals at the point, ranks and dead units exactly
        { "golikov.nh35/tanh-narrowing", "/facts/gradientColumns/0 = 1", "distinct columns" },
        { "golikov.nh35/tanh-narrowing", "/facts/k = 0", "is not a layer" },
        { "golikov.nh35/tanh-narrowing", "/instance/spec/activation = \"relu\"", "σ is relu" },
        { "golikov.nh35/sigmoid-k1", "/instance/spec/data/x/2 = [\"1\", \"0\"]", "could not be proved non-singular" },
        { "golikov.nh35-rank-dropped/sigmoid-zero-layer", "/facts/point/W3[0,0] = \"1\"", "≠ 0" },
        { "golikov.nh35-relu/relu-dead-layer", "/facts/point/b2[0] = \"50\"", "is not dead" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void MeaningChangingEditIsRejectedWithItsReason(string certificate, string edits, string reason)
    {
        var path = Path.Combine(TestPaths.ProofsData, "certificates", certificate + ".cert.json");
        var cert = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var original = CertificateChecker.Check(cert, path);
        Assert.True(original.Valid, $"{certificate} does not recheck before the edit: {original.Reason}");
        foreach (var edit in edits.Split("; "))
        {
            var eq = edit.IndexOf(" = ", StringComparison.Ordinal);
            Set(cert, edit[..eq], JsonNode.Parse(edit[(eq + 3)..]));
        }
        var r = CertificateChecker.Check(cert, path);
        Assert.False(r.Valid, $"{certificate} with {edits} was accepted: {r.Reason}");
        Assert.Contains(reason, r.Reason);
    }

    /// <summary>The checker's independence is enforced by the compiler: it references the kernel and nothing else of ours.</summary>
    [Fact]
    public void TheCheckerReferencesOnlyTheKernel()
    {
        var csproj = System.Xml.Linq.XDocument.Load(Path.Combine(TestPaths.Root, "src", "VerifyLandscape.Checker", "VerifyLandscape.Checker.csproj"));
        var references = csproj.Descendants().Where(e => e.Name.LocalName is "ProjectReference" or "PackageReference").Select(e => (string)e.Attribute("Include")!).ToList();
        Assert.Equal(["../VerifyLandscape.Kernel/VerifyLandscape.Kernel.csproj"], references);
        var ours = typeof(CertificateChecker).Assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("VerifyLandscape")).ToList();
        Assert.Equal(["VerifyLandscape.Kernel"], ours);
    }

    [Fact]
    public void TheTableCoversEveryCertificateFormat()
    {
        var claims = Rows.Select(row => ((string)row[0]).Split('/')[0]).ToHashSet();
        foreach (var claim in CertificateChecker.Claims)
            Assert.True(claims.Contains(claim), $"no tampering row for {claim}");
    }

    /// <summary>Sets the value at a JSON pointer ("/a/0/b"), adding the last object member when it is missing.</summary>
    private static void Set(JsonNode root, string pointer, JsonNode? value)
    {
        var parts = pointer.Split('/').Skip(1).ToArray();
        var node = root;
        foreach (var part in parts[..^1]) node = node is JsonArray a ? a[int.Parse(part)]! : node[part]!;
        if (node is JsonArray array) array[int.Parse(parts[^1])] = value;
        else node.AsObject()[parts[^1]] = value;
    }
}

/// <summary>Certificates the producer writes must recheck, for every claim with a format, both verdicts where the claim has them.</summary>
public class GenuineCertificateTests
{
    [Fact]
    public void EveryCertificateOfGeneratedInstancesRechecks()
    {
        const ulong seed = 20261123;
        Console.WriteLine($"seed {seed}");
        foreach (var id in CertificateChecker.Claims.Except(CertificateChecker.ExperimentClaims))
        {
            var claim = Catalog.Find(id)!;
            int certified = 0, refuted = 0;
            int samples = claim.Expected == Expectation.KnownFalse ? 40 : 12; // a known-false claim must show a refutation too
            foreach (var instance in claim.Generator.Sample(samples, new FsCheck.Rnd(seed), 20))
            {
                var c = instance with { ClaimId = id };
                var v = ClaimRunner.Decide(claim, c);
                if (v.Kind is not (VerdictKind.Certified or VerdictKind.Refuted)) continue;
                JsonObject cert;
                try { cert = CertificateWriter.Produce(claim, c, v); }
                catch (InvalidOperationException) { continue; } // no exact format for this form (e.g. a Hessian with atoms)
                var r = CertificateChecker.Check(JsonNode.Parse(cert.ToJsonString())!.AsObject());
                Assert.True(r.Valid, $"{id} {v.Word} (seed {seed}) does not recheck: {r.Reason}\ninstance: {c}");
                if (v.Kind == VerdictKind.Certified) certified++; else refuted++;
            }
            // Each claim must contribute rechecked certificates, refutations too where the claim is known false.
            Assert.True(certified + refuted >= 3, $"{id}: only {certified + refuted} certificates among {samples} generated instances (seed {seed})");
            if (claim.Expected == Expectation.KnownFalse && id != "cooper.5.16") Assert.True(refuted > 0, $"{id}: no refutation among {samples} generated instances (seed {seed})");
        }
    }

    [Fact]
    public void ShippedCounterexamplesCertifyAndRecheck()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.ProofsData, "counterexamples"), "*.instance.json"))
        {
            var instance = InstanceReader.ReadFile(file);
            var claim = Catalog.Find(instance.ClaimId)!;
            var v = ClaimRunner.Decide(claim, instance);
            Assert.Equal(VerdictKind.Refuted, v.Kind);
            var cert = CertificateWriter.Produce(claim, instance, v);
            var r = CertificateChecker.Check(cert, file);
            Assert.True(r.Valid, $"{file}: {r.Reason}");
            // The same facts do not prove the claim, nor the claim with the hypothesis the variant drops.
            cert["verdict"] = "certified";
            var flipped = CertificateChecker.Check(cert, file);
            Assert.False(flipped.Valid, $"{file} with its verdict flipped was accepted: {flipped.Reason}");
            if (instance.ClaimId == "cooper.3.2-without-sigma0")
            {
                cert["verdict"] = "refuted";
                cert["claim"] = "cooper.3.2";
                cert["instance"]!["claim"] = "cooper.3.2";
                var renamed = CertificateChecker.Check(cert, file);
                Assert.False(renamed.Valid, $"{file} renamed to cooper.3.2 was accepted");
                Assert.Contains("σ(0) ≠ 0", renamed.Reason);
            }
        }
    }

    /// <summary>A duplicated sample makes rank J &lt; N·m: the claim's hypothesis fails, so no verdict on it can be accepted.</summary>
    [Fact]
    public void GlobalMinimumWithRankDeficientJacobianIsRejected()
    {
        var shipped = InstanceReader.ReadFile(Path.Combine(TestPaths.ProofsData, "instances", "cooper.gm", "depth3-polynomial-m2-globalmin1.json"));
        var spec = shipped.Spec;
        var x = spec.X.ToArray();
        var y = spec.Y.ToArray();
        (x[1], y[1]) = (x[0], y[0]);
        var instance = shipped with { Spec = spec.With(x: x, y: y) };
        var claim = Catalog.Find("cooper.gm")!;
        Assert.Equal(VerdictKind.OutOfHypotheses, claim.Check(instance).Kind);
        var (point, _) = FibreClaim.BuildGlobalMinimum(instance, out var why) ?? throw new InvalidOperationException(why);
        foreach (var word in new[] { "refuted", "certified" })
        {
            var at = new VerifyLandscape.Derivation.NetworkDerivatives<VerifyLandscape.Exact.Rational>(instance.Spec, point);
            var forged = new Verdict(word == "refuted" ? VerdictKind.Refuted : VerdictKind.Certified, "forged", [],
                new FactsAtPoint(spec.Layout, point, at.Loss, at.Hessian()));
            var r = CertificateChecker.Check(CertificateWriter.Produce(claim, instance, forged));
            Assert.False(r.Valid, $"a {word} cooper.gm certificate with rank J < N·m was accepted");
            Assert.Contains("rank J = 6, not N·m = 8", r.Reason);
        }
    }
}
