using VerifyLandscape.Cli;
using VerifyLandscape.Networks;

return VlCommand.Run(args);

namespace VerifyLandscape.Cli
{
    /// <summary>The vl command: dispatch, and the exit-code contract (0 holds, 1 refuted/mismatch, 2 bad input or usage, 3 inconclusive).</summary>
    public static class VlCommand
    {
        public const string Help = """
            vl: VerifyLandscape, exact and rigorous checks of loss-landscape claims

              vl derive  SPEC [--at POINT] [--hessian] [--free-rest] [--format text|json|latex] [--out FILE]
              vl claims  [--format text|markdown] [--out FILE]
                         list the catalog, with the verdicts on the shipped instances (markdown: docs/CATALOG.md)
              vl check   CLAIM...|--all|--instances DIR [--trials N] [--seed S] [--budget-terms N] [--budget-time S]
                         [--data DIR] [--shard I/N] [--allow-inconclusive] [--report DIR] [--junit FILE]
                         --instances DIR: your own instance files (each names its claim) instead of the shipped ones;
                         --data DIR: a folder laid out like proofs-data (instances/CLAIM/*.json)
                         --shard I/N: only trials t with t mod N = I − 1 (same instances as the whole run; CI matrices)
                         e.g. vl check cooper.3.2 --trials 200 --seed 3 --junit results.xml
              vl certify INSTANCE [--out CERT] [--smtlib FILE] [--budget-terms N] [--budget-time S]
                         (--smtlib: milne.lemma7 as SMT-LIB2 for Z3)
              vl recheck CERT
              vl audit   SPEC --at POINT --gradient FILE [--hessian FILE] [--tol T] [--format text|json] [--out FILE]
                         compare someone's gradient/Hessian (.npy float32/float64, or JSON) with the exact ones
              vl spectrum SPEC --at POINT [--layer K] [--top K] [--bottom K] [--steps M] [--seed S]
                         [--trace-probes N] [--density PROBES] [--dense] [--format text|json] [--out FILE]
                         the Hessian's extreme eigenvalues (Lanczos, with residual bounds), trace, density
              vl experiment milne-toy [--trials N] [--seed S] [--out DIR]
                         Milne §4's toy experiment (fraction of the loss change made inside U(λ))
              vl experiment nguyen-skip|nguyen-rand [--samples N] [--steps T] [--seed S] [--out DIR]
                         001 on synthetic blobs: deep sigmoid MLP vs the same with N units wired out; rand vs full training

            POINT: zero | random:SEED | star:J | core | core:I1,I2 | FILE.json
            Budgets: every exact or rigorous decision runs under a size budget (terms of one polynomial product,
            default 2000000) and a time budget per instance (default 60 s); running out is "inconclusive (budget: …)".
            Exit codes: 0 holds/valid/as the catalog expects, 1 refuted/invalid/mismatch/unexpected verdict,
            2 bad input or usage, 3 (vl check) nothing unexpected but some verdicts inconclusive.
            """;

        public static int Run(string[] args)
        {
            try
            {
                if (args.Length == 0 || args[0] is "-h" or "--help" or "help") { Console.Out.Write(Help); return args.Length == 0 ? 2 : 0; }
                if (args.Skip(1).Any(x => x is "-h" or "--help"))
                {
                    Console.Out.Write(CommandHelp(args[0]) ?? throw new UsageException($"unknown command '{args[0]}' (try vl --help)"));
                    return 0;
                }
                return args[0] switch
                {
                    "derive" => DeriveCommand.Run(args.Skip(1)),
                    "claims" => ClaimCommands.Claims(args.Skip(1)),
                    "check" => ClaimCommands.Check(args.Skip(1)),
                    "certify" => ClaimCommands.Certify(args.Skip(1)),
                    "recheck" => ClaimCommands.Recheck(args.Skip(1)),
                    "audit" => AuditCommand.Run(args.Skip(1)),
                    "spectrum" => SpectrumCommand.Run(args.Skip(1)),
                    "experiment" => ExperimentCommand.Run(args.Skip(1)),
                    "--version" => Version(),
                    _ => throw new UsageException($"unknown command '{args[0]}' (try vl --help)"),
                };
            }
            catch (UsageException e) { Console.Error.WriteLine("vl: " + e.Message); return 2; }
            catch (InputException e) { Console.Error.WriteLine("vl: " + e.Message); return 2; }
        }

        /// <summary>One command's lines of <see cref="Help"/> (its usage and their continuation), with the shared notes; null if unknown.</summary>
        public static string? CommandHelp(string command)
        {
            var lines = Help.Split('\n');
            int start = Array.FindIndex(lines, l => l.StartsWith($"  vl {command} ", StringComparison.Ordinal));
            if (start < 0) return null;
            var own = lines.Skip(start).TakeWhile((l, i) => i == 0 || l.StartsWith("             ", StringComparison.Ordinal));
            var notes = lines.SkipWhile(l => !l.StartsWith("POINT:", StringComparison.Ordinal));
            return "usage:\n" + string.Join("\n", own) + "\n\n" + string.Join("\n", notes).TrimEnd() + "\n";
        }

        private static int Version()
        {
            Console.WriteLine("vl " + typeof(NetworkSpec).Assembly.GetName().Version);
            return 0;
        }
    }
}
