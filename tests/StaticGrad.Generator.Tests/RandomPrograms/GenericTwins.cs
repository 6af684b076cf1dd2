using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Forward;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Generic twins of a batch's double programs (docs/random-programs.md, "Session 22: generic twins"): every
/// <see cref="Every"/>th program is rewritten into a generic-math method (<see cref="GenericTwinRewriter"/>), the twins are
/// compiled WITH the generator in one compilation, and at double their value, gradient (Backward) and Tangent must equal
/// the double program's generated results bit for bit (the same operations in the same order), and at float their
/// Backward must compile and run wherever the double one ran. Generated generic code that does not compile, or a refusal
/// that is not one located SG diagnostic, is a failure reported with the program.
/// </summary>
public static class GenericTwins
{
    /// <summary>A twin for every 4th program: the twins' compilation costs about a quarter of the batch's.</summary>
    public const int Every = 4;

    private const double Seed = 0.75;

    /// <summary>What the twins of one batch gave.</summary>
    public sealed class Outcome
    {
        public int Considered { get; set; }

        public int Twins { get; set; }

        public int Compared { get; set; }

        public Dictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);

        public List<(RandomProgram Program, ProblemKind Kind, string Report)> Failures { get; } = new();

        public TimeSpan Time { get; set; }

        public void Skip(string why) => Skipped[why] = Skipped.GetValueOrDefault(why) + 1;
    }

    /// <summary>One line for the test's output: how many programs got a twin, why the others did not, the time it took.</summary>
    public static string Describe(IEnumerable<Outcome> outcomes)
    {
        var all = outcomes.ToList();
        var skipped = all.SelectMany(o => o.Skipped).GroupBy(s => s.Key).Select(g => (Why: g.Key, Count: g.Sum(s => s.Value))).OrderByDescending(s => s.Count);
        return string.Create(CultureInfo.InvariantCulture,
            $"Generic twins: {all.Sum(o => o.Twins)} of {all.Sum(o => o.Considered)} considered programs (every {Every}th), {all.Sum(o => o.Compared)} compared bit for bit, "
            + $"{all.Sum(o => o.Failures.Count)} failed, {all.Sum(o => o.Time.TotalSeconds):F1} s summed over batches; no twin: {string.Join("; ", skipped.Select(s => s.Count + " × " + s.Why))}.");
    }

    /// <summary>Whether the program at <paramref name="index"/> of its batch is given a twin.</summary>
    public static bool Considered(int index) => index % Every == 0;

    /// <summary>The twins' compilation unit and the programs that have one (the others counted in <paramref name="outcome"/>).</summary>
    public static (string Unit, List<RandomProgram> Twins) Rewrite(RandomBatch batch, IReadOnlyList<RandomProgram> programs, Outcome outcome)
    {
        var compilation = GeneratorHarness.CreateCompilation(batch.Source);
        var tree = compilation.SyntaxTrees.First();
        var model = compilation.GetSemanticModel(tree);
        var declarations = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.Parent is ClassDeclarationSyntax { Identifier.Text: "Programs" or "Helpers" } && m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() == "Differentiable"))
            .ToDictionary<MethodDeclarationSyntax, IMethodSymbol, MethodDeclarationSyntax>(m => (IMethodSymbol)model.GetDeclaredSymbol(m)!, m => m, SymbolEqualityComparer.Default);
        var rewritten = GenericTwinRewriter.Rewritten(declarations.Keys);
        var helperTwins = new Dictionary<IMethodSymbol, (string? Text, string? Why)>(SymbolEqualityComparer.Default);
        var twins = new List<(RandomProgram Twin, List<string> Helpers)>();
        foreach (var program in programs)
        {
            outcome.Considered++;
            var symbol = declarations.Keys.Single(m => m.ContainingType.Name == "Programs" && m.Name == program.Name);
            var floating = symbol.ReturnType.SpecialType;
            string? why = floating is not (SpecialType.System_Double or SpecialType.System_Single) ? "a result that is not a floating scalar"
                : !symbol.Parameters.Any(p => p.Type.ToDisplayString().Contains(floating == SpecialType.System_Double ? "double" : "float", StringComparison.Ordinal)) ? "no floating parameter to infer T from"
                : null;
            var (text, refusal) = why is null ? Twin(model, rewritten, declarations[symbol], floating) : (null, why);
            var helpers = new List<string>();
            for (var called = Called(model, declarations, declarations[symbol]); refusal is null && called.Count > 0;)
            {
                var helper = called.Pop();
                if (helpers.Contains(helper.Name))
                {
                    continue;
                }

                if (!helperTwins.TryGetValue(helper, out var helperTwin))
                {
                    helperTwins[helper] = helperTwin = Twin(model, rewritten, declarations[helper], helper.ReturnType.SpecialType);
                }

                refusal = helperTwin.Why is null ? null : "its helper has " + helperTwin.Why;
                helpers.Add(helper.Name);
                foreach (var next in Called(model, declarations, declarations[helper]))
                {
                    called.Push(next);
                }
            }

            if (refusal is not null)
            {
                outcome.Skip(refusal);
                continue;
            }

            twins.Add((program with { Source = "\n" + text!.Trim() + "\n", NeedsReference = false }, helpers));
        }

        var helperSources = helperTwins.Where(h => h.Value.Text is not null)
            .ToDictionary(h => h.Key.Name, h => batch.Helpers.First(b => b.Name == h.Key.Name) with { Source = "\n" + h.Value.Text!.Trim() + "\n", NeedsReference = false }, StringComparer.Ordinal);

        // A construct the rewriting cannot spell generically (a T member IFloatingPointIeee754 lacks, a constant pattern)
        // shows as a compile error of the twin's own text before the generator runs: that program gets no twin.
        for (var round = 0; round < 3; round++)
        {
            var unit = Unit(batch, twins.SelectMany(t => t.Helpers).Distinct().Select(h => helperSources[h]), twins.Select(t => t.Twin));
            var twinCompilation = GeneratorHarness.CreateCompilation(unit);
            var errors = twinCompilation.GetSemanticModel(twinCompilation.SyntaxTrees.First()).GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count == 0)
            {
                return (unit, twins.Select(t => t.Twin).ToList());
            }

            var root = errors[0].Location.SourceTree!.GetRoot();
            var broken = errors.Select(e => (Name: root.FindToken(e.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.Text, e.Id))
                .GroupBy(e => e.Name ?? "").ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
            if (broken.ContainsKey(""))
            {
                throw new Xunit.Sdk.XunitException("The generic twins' unit does not compile outside their methods:\n" + string.Join("\n", errors.Take(5)) + "\n\n" + unit);
            }

            foreach (var twin in twins.Where(t => broken.ContainsKey(t.Twin.Name) || t.Helpers.Any(broken.ContainsKey)))
            {
                outcome.Skip("the twin's text gives " + (broken.TryGetValue(twin.Twin.Name, out var id) ? id : "in its helper " + broken[twin.Helpers.First(broken.ContainsKey)]));
            }

            twins.RemoveAll(t => broken.ContainsKey(t.Twin.Name) || t.Helpers.Any(broken.ContainsKey));
        }

        throw new Xunit.Sdk.XunitException("The generic twins still do not compile after three rounds.");
    }

    private static (string? Text, string? Why) Twin(SemanticModel model, ISet<IMethodSymbol> rewritten, MethodDeclarationSyntax declaration, SpecialType floating)
    {
        var rewriter = new GenericTwinRewriter(model, rewritten, floating);
        var text = rewriter.Visit(declaration)!.ToFullString();
        return rewriter.Refusal is { } why ? (null, why) : (text, null);
    }

    /// <summary>The helpers (other [Differentiable] members of the batch) that <paramref name="declaration"/> calls.</summary>
    private static Stack<IMethodSymbol> Called(SemanticModel model, IReadOnlyDictionary<IMethodSymbol, MethodDeclarationSyntax> declarations, MethodDeclarationSyntax declaration) =>
        new(declaration.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(i => model.GetSymbolInfo(i).Symbol?.OriginalDefinition as IMethodSymbol)
            .Where(m => m is not null && declarations.ContainsKey(m) && m.ContainingType.Name == "Helpers")
            .Select(m => m!));

    /// <summary>
    /// Rewrites, compiles and checks the twins of <paramref name="batch"/>'s considered programs against the double
    /// programs' generated code in <paramref name="compiled"/> (and their Tangents, <paramref name="tangents"/>).
    /// </summary>
    public static Outcome Check(RandomBatch batch, CompiledBatch compiled, IReadOnlyDictionary<string, Func<double[][], double[][], double[]>> tangents)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var outcome = new Outcome();
        var considered = batch.Programs.Where((p, i) => Considered(i) && compiled.Loaded.ContainsKey("Programs." + p.Name)).ToList();
        var (unit, twins) = Rewrite(batch, considered, outcome);

        // A failure names the double program (the minimiser shrinks that one; the report holds the twin's text).
        RandomProgram Original(RandomProgram twin) => considered.Single(p => p.Name == twin.Name);
        outcome.Twins = twins.Count;
        var ns = Namespace(batch);
        var methods = twins.Select(t => compiled.Loaded["Programs." + t.Name].Method with { Namespace = ns, HasFdReference = false }).ToList();
        // Backward and Tangent are compared; the Tensor overloads (the batch's other opt-in output) are not generic-math's.
        var generic = CompiledBatch.Compile(new[] { unit }, methods, new BuildProperties(("StaticGradForward", "true")), nullableAnalysis: false);
        if (generic.GeneratorException is not null)
        {
            throw new Xunit.Sdk.XunitException($"The generator threw on the generic twins of batch {batch.Seed}: {generic.GeneratorException}");
        }

        foreach (var (key, reason) in generic.Failures)
        {
            var program = twins.Single(t => "Programs." + t.Name == key);
            var findings = generic.Refusals.GetValueOrDefault(key) ?? new List<string>();
            if (reason.StartsWith("No backward was generated.", StringComparison.Ordinal) && findings.Count > 0 && findings.All(f => f.StartsWith("SG1", StringComparison.Ordinal) && f.Contains(" line ", StringComparison.Ordinal)))
            {
                // The contract allows a generic-math refusal, as located diagnostics (one per construct): counted, not a failure.
                outcome.Skip("refused: " + findings[0].Split(" are not supported", 2)[0].Split("(Error) ", 2)[^1].Split(" line ", 2)[^1].Split(": ", 2)[^1]);
                continue;
            }

            var kind = reason.StartsWith("The generated code", StringComparison.Ordinal) || reason.StartsWith("The backward's signature", StringComparison.Ordinal) ? ProblemKind.GeneratedCodeError : ProblemKind.NotGenerated;
            outcome.Failures.Add((Original(program), kind, "Generic twin: " + reason + "\n\n// generic twin\n" + program.Source));
        }

        var loaded = methods.Where(m => generic.Loaded.ContainsKey(m.Key)).ToList();
        var genericTangents = loaded.Count == 0 ? new() : TangentAdapters.CompileAgainst(generic, loaded);
        var floats = FloatRunners(generic, loaded);
        foreach (var method in loaded)
        {
            var program = twins.Single(t => "Programs." + t.Name == method.Key);
            var problems = Compare(compiled.Loaded[method.Key], generic.Loaded[method.Key], tangents.GetValueOrDefault(method.Key), genericTangents.GetValueOrDefault(method.Key), floats.GetValueOrDefault(method.Key), program.Seed);
            outcome.Compared++;
            if (problems.Count > 0)
            {
                outcome.Failures.Add((Original(program), ProblemKind.WrongGradient, "Generic twin differs from the double program:\n" + string.Join("\n", problems.Take(5))
                    + "\n\n// generic twin\n" + program.Source + "\n// generated\n" + generic.GeneratedSource.GetValueOrDefault(method.Key)
                    + "\n// the double program's generated code\n" + compiled.GeneratedSource.GetValueOrDefault(method.Key)));
            }
        }

        outcome.Time = stopwatch.Elapsed;
        return outcome;
    }

    /// <summary>The twins in their own namespace, with the structs and tables the programs' unit declares.</summary>
    public static string Unit(RandomBatch batch, IEnumerable<RandomProgram> helpers, IEnumerable<RandomProgram> twins) =>
        ProgramGenerator.CompilationUnit(Namespace(batch), helpers, twins);

    private static string Namespace(RandomBatch batch) => "GenericTwin" + batch.Seed.ToString(CultureInfo.InvariantCulture).Replace('-', '_');

    /// <summary>The double and generic runs at two points of the program's domain: value, gradient and Tangent bit for bit; float runs where double ran.</summary>
    private static List<string> Compare(
        LoadedMethod plain,
        LoadedMethod twin,
        Func<double[][], double[][], double[]>? tangent,
        Func<double[][], double[][], double[]>? twinTangent,
        Func<double[][], double[][], double, double>? floatBackward,
        int seed)
    {
        var problems = new List<string>();
        var random = new Random(seed ^ 0x5EED22);
        for (var point = 0; point < ProgramCheck.PointsPerProgram; point++)
        {
            var at = FiniteDifferenceCheck.DrawPoint(plain.Method, random);
            var where = " at " + FiniteDifferenceCheck.Format(at);
            var (d1, d2) = (FiniteDifferenceCheck.Zeros(plain.Method, at), FiniteDifferenceCheck.Zeros(plain.Method, at));
            var expected = Run(() => new[] { plain.Backward(FiniteDifferenceCheck.Copy(at), d1, Seed) }.Concat(d1.SelectMany(d => d)).ToArray());
            var actual = Run(() => new[] { twin.Backward(FiniteDifferenceCheck.Copy(at), d2, Seed) }.Concat(d2.SelectMany(d => d)).ToArray());
            problems.AddRange(Differences("Backward (value, then the gradient)", expected, actual, where));
            var primal = Run(() => new[] { plain.Primal(FiniteDifferenceCheck.Copy(at)) });
            problems.AddRange(Differences("the method", primal, Run(() => new[] { twin.Primal(FiniteDifferenceCheck.Copy(at)) }), where));
            if (tangent is not null && twinTangent is not null)
            {
                var direction = at.Select((v, i) => plain.Method.Parameters[i].IsDifferentiable ? v.Select(_ => random.NextDouble() - 0.5).ToArray() : new double[v.Length]).ToArray();
                problems.AddRange(Differences("Tangent (value, tangent)", Run(() => tangent(FiniteDifferenceCheck.Copy(at), direction)), Run(() => twinTangent(FiniteDifferenceCheck.Copy(at), direction)), where));
            }

            if (floatBackward is not null && expected.Thrown is null)
            {
                var single = Run(() => new[] { floatBackward(FiniteDifferenceCheck.Copy(at), FiniteDifferenceCheck.Zeros(plain.Method, at), Seed) });
                if (single.Thrown is { } thrown)
                {
                    problems.Add("the other precision's Backward threw " + thrown.GetType().Name + " (" + thrown.Message + ") where the program's own ran" + where);
                }
            }
        }

        return problems;
    }

    private static (double[]? Values, Exception? Thrown) Run(Func<double[]> run)
    {
        try
        {
            return (run(), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, e);
        }
    }

    private static IEnumerable<string> Differences(string what, (double[]? Values, Exception? Thrown) expected, (double[]? Values, Exception? Thrown) actual, string where)
    {
        if (expected.Thrown is not null || actual.Thrown is not null)
        {
            if (expected.Thrown?.GetType() != actual.Thrown?.GetType())
            {
                yield return $"{what}: the double program {Describe(expected.Thrown)}, the generic twin at double {Describe(actual.Thrown)}{where}";
            }

            yield break;
        }

        for (var i = 0; i < expected.Values!.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected.Values[i]) != BitConverter.DoubleToInt64Bits(actual.Values![i]))
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]: the double program gives {expected.Values[i]:R}, the generic twin at double {actual.Values[i]:R}{where}");
            }
        }
    }

    private static string Describe(Exception? e) => e is null ? "ran" : "threw " + e.GetType().Name;

    /// <summary>The twins' Backward at float, through adapters whose parameters are the float kinds of the double ones.</summary>
    private static Dictionary<string, Func<double[][], double[][], double, double>> FloatRunners(CompiledBatch generic, IReadOnlyList<MethodUnderTest> methods)
    {
        var singles = methods.Where(m => m.Parameters.All(p => p.Kind != ParameterKind.DoubleJagged))
            .Select(m => m with { ReturnsFloat = !m.ReturnsFloat, Parameters = m.Parameters.Select(p => p with { Kind = Other(p.Kind) }).ToArray() })
            .ToList();
        var result = new Dictionary<string, Func<double[][], double[][], double, double>>(StringComparer.Ordinal);
        if (singles.Count == 0)
        {
            return result;
        }

        var assembly = TangentAdapters.LoadAgainst(generic, AdapterWriter.Write(singles.Select((m, i) => (i, m))), "FloatTwinAdapters", "The generic twins' float adapters do not compile");
        for (var i = 0; i < singles.Count; i++)
        {
            result[singles[i].Key] = assembly.GetType(AdapterWriter.Namespace + "." + AdapterWriter.ClassName(i))!.GetMethod("Backward")!.CreateDelegate<Func<double[][], double[][], double, double>>();
        }

        return result;
    }

    /// <summary>The kind of the other precision: a double program's twin also runs at float, a float program's at double.</summary>
    private static ParameterKind Other(ParameterKind kind) => kind switch
    {
        ParameterKind.Double => ParameterKind.Float,
        ParameterKind.DoubleArray => ParameterKind.FloatArray,
        ParameterKind.DoubleSpan => ParameterKind.FloatSpan,
        ParameterKind.DoubleReadOnlySpan => ParameterKind.FloatReadOnlySpan,
        ParameterKind.DoubleMatrix => ParameterKind.FloatMatrix,
        ParameterKind.Float => ParameterKind.Double,
        ParameterKind.FloatArray => ParameterKind.DoubleArray,
        ParameterKind.FloatSpan => ParameterKind.DoubleSpan,
        ParameterKind.FloatReadOnlySpan => ParameterKind.DoubleReadOnlySpan,
        ParameterKind.FloatMatrix => ParameterKind.DoubleMatrix,
        _ => kind,
    };
}
