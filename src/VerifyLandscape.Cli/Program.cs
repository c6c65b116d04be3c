using System.CommandLine;
using System.CommandLine.Help;
using VerifyLandscape.Budgets;
using VerifyLandscape.Cli;
using VerifyLandscape.Networks;

return VlCommand.Run(args);

namespace VerifyLandscape.Cli
{
    /// <summary>The vl command: its commands and options (System.CommandLine), and the exit-code contract.</summary>
    public static class VlCommand
    {
        /// <summary>The one table of exit codes, shown by every command's help.</summary>
        public const string ExitCodes = """
            Exit codes:
              0  holds / valid / matches / as the catalog expects
              1  refuted / invalid / mismatch / a claim did not behave as the catalog expects
              2  bad input or usage (one line on standard error naming the file or option; no output file written)
              3  nothing unexpected, but some verdicts inconclusive (vl check, vl audit)
            """;

        private static readonly string Notes = $"""
            POINT: zero | random:SEED | star:J | core | core:I1,I2 | FILE.json
            Budgets: every exact or rigorous decision runs under a size budget (terms of one polynomial product,
            default {Budget.Default.MaxTerms}) and a time budget per instance (default {Budget.Default.Time.TotalSeconds} s); running out is
            "inconclusive (budget: …)".
            """;

        /// <summary>vl's version as --version prints it (with the commit it was built from, when known).</summary>
        public static string Version =>
            typeof(VlCommand).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";

        /// <summary>--quiet: no progress and no informational lines; results, failures and errors still print.</summary>
        public static bool Quiet { get; private set; }

        /// <summary>Prints an informational line (not a result) unless --quiet.</summary>
        public static void Say(string line) { if (!Quiet) Console.WriteLine(line); }

        public static int Run(string[] args)
        {
            var root = Build(out var quiet);
            var result = root.Parse(args);
            var config = new InvocationConfiguration { Output = Console.Out, Error = Console.Error, EnableDefaultExceptionHandler = false };
            bool asksForHelp = result.Action is HelpAction or PrintVersion;
            if (result.Errors.Count > 0 && !asksForHelp)
            {
                string command = result.CommandResult.Command is RootCommand ? "" : " " + result.CommandResult.Command.Name;
                string message = string.Join(" ", result.Errors[0].Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                Console.Error.WriteLine($"vl: {message} (try vl{command} --help)");   // one line, whatever the parser wrote
                return 2;
            }
            Quiet = result.GetValue(quiet);
            try { return result.Invoke(config); }
            catch (UsageException e) { Console.Error.WriteLine("vl: " + e.Message); return 2; }
            catch (InputException e) { Console.Error.WriteLine("vl: " + e.Message); return 2; }
        }

        /// <summary>Every command with its options; each command's help has examples, the notes and the exit codes.</summary>
        public static RootCommand Build(out Option<bool> quiet)
        {
            quiet = new Option<bool>("--quiet", "-q") { Description = "No progress and no informational lines (results, failures and errors still print)", Recursive = true };
            var root = new RootCommand("vl: VerifyLandscape, exact and rigorous checks of loss-landscape claims.\n\n" + ExitCodes.TrimEnd()) { quiet };

            var format = (string[] kinds) => Valued("--format", $"Output format: {string.Join("|", kinds)} (default {kinds[0]})", "FORMAT");
            var output = Valued("--out", "Write the output to FILE (atomically; never a link, folder or device)", "FILE");
            var at = (bool required) => new Option<string>("--at") { Description = "The point (see POINT below)", HelpName = "POINT", Required = required };
            Option[] budget =
            [
                Valued("--budget-terms", $"Size budget: terms of one polynomial product (default {Budget.Default.MaxTerms})", "N"),
                Valued("--budget-time", $"Time budget per instance in seconds (default {Budget.Default.Time.TotalSeconds})", "S"),
            ];

            root.Subcommands.Add(Define("derive", "Exact gradient (and Hessian) of a network's loss at a point or on a locus.",
                ["vl derive proofs-data/specs/depth4-tanh.json --at core --hessian", "vl derive SPEC --at random:3 --format json --out d.json"],
                One("SPEC", "The network spec (JSON)"),
                [at(false), Switch("--hessian", "Also the Hessian"), Switch("--free-rest", "Leave the parameters the locus does not fix as symbols"), format(["text", "json", "latex"]), output],
                DeriveCommand.Run));
            root.Subcommands.Add(Define("claims", "The catalog, with the verdicts on the shipped instances (markdown: docs/CATALOG.md).",
                ["vl claims", "vl claims --format json", "vl claims --format markdown --out docs/CATALOG.md"],
                null, [format(["text", "json", "markdown"]), output], ClaimCommands.Claims));
            root.Subcommands.Add(Define("check", "Check claims on the shipped (or your own) instances and on seeded random trials; known-false claims must be refuted.",
                ["vl check --all", "vl check cooper.3.2 --trials 200 --seed 3 --junit results.xml", "vl check --instances my-instances/ --format json",
                 "vl check --all --shard 2/4   (CI matrix: trials t with t mod 4 = 1)"],
                Many("CLAIM", "Claim ids (see vl claims)"),
                [Switch("--all", "Every claim in the catalog"), Valued("--trials", $"Random trials per claim (default {ClaimCommands.DefaultTrials})", "N"), Valued("--seed", $"Seed of the trials (default {VerifyLandscape.Testing.PropertyCheck.DefaultSeed}; printed)", "S"),
                 .. budget, Valued("--data", "A folder laid out like proofs-data (instances/CLAIM/*.json)", "DIR"),
                 Valued("--instances", "Your own instance files (each names its claim) instead of the shipped ones", "DIR"),
                 Valued("--shard", "Only trials t with t mod N = I − 1 (same instances as the whole run)", "I/N"),
                 Switch("--allow-inconclusive", "Exit 0 instead of 3 when the only problems are inconclusive verdicts"),
                 Valued("--backend", "Engine of the numeric claims: cpu (default) | gpu (ILGPU; networks it does not run use the CPU engine) | auto", "B"),
                 Valued("--report", "Write counterexample reports (Markdown, JSON, SVG) and the run record into DIR", "DIR"),
                 Valued("--junit", "Write a JUnit XML report to FILE", "FILE"), format(["text", "json"])],
                ClaimCommands.Check));
            root.Subcommands.Add(Define("certify", "Decide one instance and write its certificate (a proof or a counterexample) for vl recheck.",
                ["vl certify proofs-data/instances/cooper.3.2/depth4-tanh-core12.json --out cert.json", "vl certify INSTANCE --smtlib q.smt2   (milne.lemma7, for Z3)"],
                One("INSTANCE", "The instance file (JSON)"),
                [output, Valued("--smtlib", "Also write the question as SMT-LIB2 (milne.lemma7)", "FILE"), .. budget, format(["text", "json"])],
                ClaimCommands.Certify));
            root.Subcommands.Add(Define("recheck", "Re-verify a certificate with the independent checker.",
                ["vl recheck proofs-data/certificates/cooper.3.2/depth4-tanh-core12.cert.json"],
                One("CERT", "The certificate file (JSON)"), [format(["text", "json"])], ClaimCommands.Recheck));
            root.Subcommands.Add(Define("audit", "Compare someone's gradient/Hessian (.npy float32/float64, or JSON) with the exact ones.",
                ["vl audit SPEC --at random:1 --gradient g.npy --hessian h.npy", "vl audit SPEC --at point.json --gradient g.json --format sarif --out audit.sarif",
                 "vl audit SPEC --at point.json --gradient g.npy --hvp hv.npy --direction vector.json"],
                One("SPEC", "The network spec (JSON)"),
                [at(true), Required(Valued("--gradient", "The gradient to audit (.npy or JSON)", "FILE")), Valued("--hessian", "The Hessian to audit (.npy or JSON)", "FILE"),
                 Valued("--hvp", "A Hessian-vector product H v to audit (.npy or JSON; with --direction)", "FILE"), Valued("--direction", "The direction v of --hvp (random:SEED or a point file)", "V"),
                 Valued("--tol", "Tolerance per entry (default: from the file's precision)", "T"), format(["text", "json", "sarif"]), output],
                AuditCommand.Run));
            root.Subcommands.Add(Define("crosscheck", "Drive someone's derivative code (any command: PyTorch, JAX, a CUDA kernel) over seeded random networks; compare its gradient, Hessian and H v with the exact ones; shrink the first mismatch and write a report (protocol: docs/CROSSCHECK.md).",
                ["vl crosscheck --against 'python3 anchors/pytorch_driver.py' --trials 30", "vl crosscheck --against './my-backward' --want gradient --wiring all --seed 7",
                 "vl crosscheck --against 'python3 anchors/pytorch_driver.py' --replay crosscheck-report/crosscheck-case"],
                null,
                [Required(Valued("--against", "The command to check, run with /bin/sh -c in each case folder", "COMMAND")),
                 Valued("--want", "What to ask for and compare: gradient[,hessian][,hvp] (default all three)", "LIST"),
                 Valued("--trials", $"Random instances (default {CrossCheckCommand.DefaultTrials})", "N"), Valued("--seed", $"Seed of the instances (default {VerifyLandscape.Testing.PropertyCheck.DefaultSeed}; printed)", "S"),
                 Valued("--activations", "all (default: tanh, sigmoid, swish, relu, leaky relu, softplus, polynomials) | smooth | exact", "SET"),
                 Valued("--wiring", "plain (default) | all (also skip outputs, layered DAGs, shared and frozen parameters)", "W"),
                 Valued("--max-depth", "Largest depth (default 3)", "D"), Valued("--max-width", "Largest width (default 3)", "W"), Valued("--max-samples", "Most samples (default 3)", "N"),
                 Valued("--timeout", "Seconds one run of the command may take (default 120)", "S"), Valued("--tol", "Tolerance per entry (default: from the arrays' precision, as vl audit)", "T"),
                 Valued("--replay", "Run the command on one case folder (spec.json, point.json, vector.json) and audit it", "CASE"),
                 Valued("--report", "Write the counterexample report into DIR (default crosscheck-report)", "DIR"), format(["text", "json"])],
                CrossCheckCommand.Run));
            root.Subcommands.Add(Define("spectrum", "The Hessian's extreme eigenvalues (Lanczos, with residual bounds), trace and density (numeric engine).",
                ["vl spectrum SPEC --at random:1 --top 5 --bottom 5", "vl spectrum SPEC --at random:1 --dense --format json"],
                One("SPEC", "The network spec (JSON)"),
                [at(true), Valued("--layer", "Only the block of layer K", "K"), Valued("--top", "Largest eigenvalues (default 5)", "K"), Valued("--bottom", "Smallest eigenvalues (default 5)", "K"),
                 Valued("--steps", "Lanczos steps (default 100)", "M"), Valued("--seed", "Seed of the start vector and probes (default 1)", "S"),
                 Valued("--trace-probes", "Hutchinson probes for the trace (default 30)", "N"), Valued("--density", "Probes for the spectral density (default 0: none)", "PROBES"),
                 Switch("--dense", "Also the full spectrum from the dense Hessian"),
                 Valued("--backend", "cpu (default) | gpu (ILGPU: CUDA, OpenCL, else its CPU accelerator) | auto (gpu where a GPU is found)", "B"),
                 Valued("--precision", "float64 (default) | float32 (gpu only)", "P"), format(["text", "json"]), output],
                SpectrumCommand.Run));
            root.Subcommands.Add(Define("backends", "List the derivative backends and the ILGPU devices found at run time.",
                ["vl backends", "vl backends --format json"], null, [format(["text", "json"])], BackendsCommand.Run));
            root.Subcommands.Add(Define("experiment", "Run an experiment: milne-toy (Milne §4's toy experiment); nguyen-skip, nguyen-rand (001 on synthetic blobs); nguyen-relu-search (stalled points of relu skip-nets, numeric evidence); dss (002's string sampling as run, --certify for rigorous segment maxima); du-width (003: Du et al.'s width sweep with λ0 certified); du-lambda0 (the λ0 certificate alone, default n = 200, d = 20).",
                ["vl experiment milne-toy --trials 1000 --out results/milne", "vl experiment nguyen-skip --samples 200 --steps 1500 --out results/nguyen",
                 "vl experiment dss --task quadratic --out results/dss", "vl experiment du-width --out results/du", "vl experiment dss --task quadratic --thresholds 0.01 --pairs 1 --certify --out results/dss"],
                One("NAME", "milne-toy | nguyen-skip | nguyen-rand | nguyen-relu-search | dss | du-width | du-lambda0", "milne-toy", "nguyen-skip", "nguyen-rand", "nguyen-relu-search", "dss", "du-width", "du-lambda0"),
                [Valued("--trials", "milne-toy: trials (default 1000); nguyen-relu-search: networks (default 100)", "N"), Valued("--dimension", "du-width: input dimension d (default 5); du-lambda0: (default 20)", "D"), Valued("--samples", "du-width: unit inputs n (default 10); du-lambda0: (default 200); nguyen-*: training points N (10 to 1000, default 200; hidden width 32, wider above N = 288 so that N units can be wired out); dss: samples per Adam step and in the test set (default 10000)", "N"),
                 Valued("--steps", "nguyen-*: training steps (default 1500)", "T"), Valued("--seed", "Seed (printed)", "S"),
                 Valued("--task", "dss: quadratic | cubic | cyclic (default quadratic)", "TASK"), Valued("--thresholds", "dss: comma-separated L0 values (default: the paper's Figure 1 values for the task)", "L0,…"),
                 Valued("--pairs", "dss: pairs of models per threshold (default 10)", "N"), Valued("--lr", "dss: Adam learning rate (default 1e-3)", "R"),
                 Valued("--alpha", "dss: beads are trained to alpha·L0 (default 0.95)", "A"), Valued("--multiplier", "dss: a segment passes when its grid maximum < multiplier·L0 (default 1.1)", "M"),
                 Valued("--grid", "dss: grid points per segment, t = 0 … (G−1)/G (default 100)", "G"), Valued("--max-depth", "dss: refinement rounds d_max (default 10)", "D"),
                 Valued("--max-steps", "dss: Adam steps a model or bead may take before its string ends as not converged (default 100000)", "T"),
                 Switch("--certify", "dss: enclose every connected string's segment maxima rigorously and write certificates (with --out)"),
                 Valued("--out", "Write JSON and SVG results into DIR", "DIR"), format(["text", "json"])],
                ExperimentCommand.Run));
            root.Subcommands.Add(Define("report", "One static HTML page (no server, no external assets) over a results folder: the claims table, counterexamples with their Hessian pictures, spectra, experiment plots, certificates.",
                ["vl check --all --report results/ && vl report results/", "vl report proofs-data --out report.html"],
                One("DIR", "The results folder (vl check --report, experiment --out, spectrum --out files)"),
                [Valued("--out", "Write the page to FILE (default DIR/index.html)", "FILE")],
                ReportCommand.Run));
            // --version prints vl's own version (System.CommandLine's would name the entry assembly, e.g. a test host).
            root.Options.OfType<VersionOption>().Single().Action = new PrintVersion();
            return root;
        }

        private sealed class PrintVersion : System.CommandLine.Invocation.SynchronousCommandLineAction
        {
            public override int Invoke(ParseResult parseResult) { Console.Out.WriteLine(Version); return 0; }
        }

        private static Option<string> Valued(string name, string description, string helpName) => new(name) { Description = description, HelpName = helpName };
        private static Option<bool> Switch(string name, string description) => new(name) { Description = description };

        private static Option<string> Required(Option<string> option) { option.Required = true; return option; }

        /// <summary>Exactly one positional; when <paramref name="choices"/> are given, one of them.</summary>
        private static Argument One(string name, string description, params string[] choices)
        {
            var argument = new Argument<string>(name) { Description = description, Arity = ArgumentArity.ExactlyOne };
            if (choices.Length > 0) argument.AcceptOnlyFromAmong(choices);
            return argument;
        }

        /// <summary>Any number of positionals (none included).</summary>
        private static Argument Many(string name, string description) =>
            new Argument<string[]>(name) { Description = description, Arity = ArgumentArity.ZeroOrMore };

        private static Command Define(string name, string description, string[] examples, Argument? positionals, Option[] options, Func<Arguments, int> run)
        {
            var text = description + "\n\nExamples:\n" + string.Join("\n", examples.Select(e => "  " + e)) + "\n\n" + Notes.TrimEnd() + "\n\n" + ExitCodes.TrimEnd();
            var command = new Command(name, text);
            if (positionals is not null) command.Arguments.Add(positionals);
            foreach (var option in options) command.Options.Add(option);
            command.SetAction(result => run(Arguments.From(result, command)));
            return command;
        }
    }
}
