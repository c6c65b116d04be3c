using System.Diagnostics;
using VerifyLandscape.Checker;
using VerifyLandscape.Certificates;
using VerifyLandscape.Claims;
using VerifyLandscape.Claims.Milne;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Benchmarks;

/// <summary>
/// milne.lemma7 side by side with Z3 (Debian's z3, QF_NRA) on the same instances, one run:
///   dotnet run -c Release --project tests/VerifyLandscape.Benchmarks -- lemma7 [--z3-timeout 120] [--reduced-only]
/// Z3 gets both the full form (all weights) and the balanced reduction (one unknown t), which it does not derive itself.
/// Data f(x) = x/4 at 20 evenly spaced points in [−1, 1] for 1-n-1, and the shipped 2-3-1 and 1-2-2-1 instances. Ours:
/// the certificate (1-n-1: (p, s) branch-and-bound; others: balanced reduction) plus its independent recheck.
/// Z3: the SMT-LIB2 form (critical-point equations in all weights ∧ W ≠ 0 ∧ W ∈ U(λ)); expected unsat.
/// </summary>
public static class Lemma7Benchmark
{
    public static void Run(string[] args)
    {
        int timeout = args.SkipWhile(a => a != "--z3-timeout").Skip(1).Select(int.Parse).FirstOrDefault(120);
        var claim = new MilneLemma7();
        Console.WriteLine($"Z3 timeout {timeout} s; {Environment.ProcessorCount} cores; z3 single-threaded");
        bool reducedOnly = args.Contains("--reduced-only"); // skip Z3 on the full form (its 120 s timeouts)
        Console.WriteLine("| widths | λ | ours: method | ours: verdict | boxes | ours: certify + recheck (s) | Z3, all weights (s) | answer | Z3, reduced to t (s) | answer |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var lambda in new[] { Rational.Create(2, 5), Rational.Create(1, 10), Rational.Create(1, 50) })
        {
            var specs = new[] { 2, 3, 4, 8 }.Select(n => Spec(n, lambda)).ToList();
            foreach (var widths in new[] { "2-3-1", "1-2-2-1" }) // the shipped instances (1-2-2-1: the same 20 points; 2-3-1: a 2-input target)
                specs.Add(InstanceReader.ReadFile(Path.Combine(Program.Root, "proofs-data", "instances", "milne.lemma7", $"{widths}-lambda{lambda.ToDouble()}.json")).Spec);
            foreach (var spec in specs)
            {
                var instance = new ClaimInstance(claim.Id, spec, [0], Construction: "ball");
                var sw = Stopwatch.StartNew();
                var verdict = claim.Check(instance);
                string recheck = "-";
                if (verdict.Kind == VerdictKind.Certified)
                    recheck = CertificateChecker.Check(CertificateWriter.Produce(claim, instance, verdict)).Valid ? "rechecked" : "RECHECK FAILED";
                double ours = sw.Elapsed.TotalSeconds;
                var (z3Seconds, z3Answer) = reducedOnly ? (0.0, "-") : RunZ3(MilneLemma7.SmtLib(spec), timeout);
                var (z3ReducedSeconds, z3ReducedAnswer) = RunZ3(BalancedLemma7.ReducedSmtLib(spec), timeout);
                string method = (string?)verdict.Evidence["method"] ?? "(p, s) reduction";
                Console.WriteLine($"| {string.Join("-", spec.Widths)} | {lambda} | {method} | {verdict.Word} ({recheck}) | {verdict.Evidence["boxes"]?.ToString() ?? verdict.Evidence["leaves"]?.AsArray().Count.ToString()} | {ours:0.000} | {z3Seconds:0.00} | {z3Answer} | {z3ReducedSeconds:0.00} | {z3ReducedAnswer} |");
            }
        }
    }

    private static NetworkSpec Spec(int n, Rational lambda)
    {
        var xs = Enumerable.Range(0, 20).Select(i => -1 + Rational.Create(2 * i, 19)).ToArray();
        return new NetworkSpec
        {
            Widths = [1, n, 1], HiddenActivations = [Activation.Identity], OutputActivation = Activation.Identity, Bias = false,
            Loss = LossKind.HalfMse, WeightDecay = lambda, X = xs.Select(x => new[] { x }).ToArray(), Y = xs.Select(x => new[] { x / 4 }).ToArray(),
        };
    }

    private static (double Seconds, string Answer) RunZ3(string smt, int timeout)
    {
        var file = Path.Combine(Path.GetTempPath(), $"vl-lemma7-{Guid.NewGuid():N}.smt2");
        File.WriteAllText(file, smt);
        var psi = new ProcessStartInfo("z3", [$"-T:{timeout}", file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var sw = Stopwatch.StartNew();
        try
        {
            using var proc = Process.Start(psi)!;
            string output = proc.StandardOutput.ReadToEnd().Trim();
            proc.WaitForExit();
            return (sw.Elapsed.TotalSeconds, output.Length == 0 ? "(no output)" : output.Split('\n')[0] == "timeout" ? $"no answer in {timeout} s" : output.Split('\n')[0]);
        }
        catch (System.ComponentModel.Win32Exception) { return (0, "z3 not installed (apt-get install z3)"); }
        finally { File.Delete(file); }
    }
}
