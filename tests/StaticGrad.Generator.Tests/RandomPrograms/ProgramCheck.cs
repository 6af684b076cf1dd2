using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>What can be wrong with one compiled random program: the first line of each problem names its kind.</summary>
public enum ProblemKind
{
    /// <summary>No backward or Tangent, refused with a diagnostic (every program the generator writes is in the body language).</summary>
    NotGenerated,

    /// <summary>An internal error: SG1000, or the generator itself threw.</summary>
    Crash,

    /// <summary>Generated code that does not compile, or a backward whose signature breaks the contract.</summary>
    GeneratedCodeError,

    /// <summary>The generated Backward or Tangent threw.</summary>
    Threw,

    /// <summary>Backward against finite differences, or the accumulation and seed contract.</summary>
    WrongGradient,

    /// <summary>Tangent against Backward (dot-product test) or their values.</summary>
    TangentDisagrees,
}

/// <summary>
/// The checks of one random program, shared by the batch run and the minimiser: Backward against finite differences
/// (<see cref="TwoStepCheck"/>) and the contract; Tangent against Backward on every point (directional derivative =
/// gradient · direction, <see cref="Forward.DotProductCheck"/>) and against finite differences along the direction.
/// </summary>
public static class ProgramCheck
{
    public const int PointsPerProgram = 2;

    /// <summary>Whether the program's primal gives a finite value at <paramref name="point"/> (not when it throws an ArithmeticException).</summary>
    private static bool IsDefinedAt(LoadedMethod loaded, double[][] point) =>
        !PrimalThrows(loaded, point) && double.IsFinite(loaded.Primal(FiniteDifferenceCheck.Copy(point)));

    private static bool PrimalThrows(LoadedMethod loaded, double[][] point)
    {
        try
        {
            loaded.Primal(FiniteDifferenceCheck.Copy(point));
            return false;
        }
        catch (Exception e) when (e is ArithmeticException or InvalidOperationException or ArgumentException)
        {
            // What the programs' own guards throw (ThrowIfNegative, "… diverged", Math.Sign(NaN)): outside the domain.
            return true;
        }
    }

    /// <summary>
    /// Session 25: the counting helpers (<c>RpCounted</c>, <see cref="Production.CountedCall"/>) run as often in the
    /// Backward and in the Tangent as in the method (a call of a method that is not [Differentiable] runs once, in the
    /// forward sweep); null when they do, or when the method calls none.
    /// </summary>
    private static string? CountedCallProblem(CompiledBatch compiled, LoadedMethod loaded, Func<double[][], double[][], double[]>? tangent, double[][] point)
    {
        if (compiled.Output?.Assembly.GetTypes().FirstOrDefault(t => t.Name == "RpCounted")?.GetField("Calls") is not { } calls)
        {
            return null;
        }

        int Count(Action run)
        {
            calls.SetValue(null, 0);
            run();
            return (int)calls.GetValue(null)!;
        }

        var method = Count(() => loaded.Primal(FiniteDifferenceCheck.Copy(point)));
        if (method == 0)
        {
            return null;
        }

        var zeros = point.Select(values => new double[values.Length]).ToArray();
        var backward = Count(() => loaded.Backward(FiniteDifferenceCheck.Copy(point), FiniteDifferenceCheck.Copy(zeros), 1.0));
        var forward = tangent is null ? method : Count(() => tangent(FiniteDifferenceCheck.Copy(point), FiniteDifferenceCheck.Copy(zeros)));
        return backward == method && forward == method
            ? null
            : $"RpCounted's helpers ran {method} times in the method, {backward} in the Backward and {forward} in the Tangent.";
    }

    /// <summary>The problems found, each with its kind; empty when the program is right.</summary>
    public static List<(ProblemKind Kind, string Text)> Run(
        CompiledBatch compiled,
        IReadOnlyDictionary<string, Func<double[][], double[][], double[]>> tangents,
        MethodUnderTest method,
        int seed,
        TwoStepCheck check,
        ref int nonFinitePoints,
        Func<DoubleTwin?>? twin = null,
        Func<UnresolvedPhase?>? phase = null)
    {
        var problems = new List<(ProblemKind, string)>();
        if (compiled.Failures.TryGetValue(method.Key, out var reason))
        {
            problems.Add((Classify(reason), reason));
            return problems;
        }

        var loaded = compiled.Loaded[method.Key];
        var random = new Random(seed);
        for (var p = 0; p < PointsPerProgram; p++)
        {
            var point = FiniteDifferenceCheck.DrawPoint(method, random);
            var attempts = 0;
            bool defined;
            while (!(defined = IsDefinedAt(loaded, point)) && attempts++ < 5)
            {
                nonFinitePoints++;
                point = FiniteDifferenceCheck.DrawPoint(method, random);
            }

            if (!defined && PrimalThrows(loaded, point))
            {
                // The program's own primal throws here (Math.Sign of a value that overflowed to NaN, batch 20262723's
                // P228; its own "diverged" guard, batch 20262881's P87): no gradient to compare at a point outside its domain.
                continue;
            }

            var before = check.Problems.Count;
            try
            {
                check.Check(loaded, point);
                ExcuseFloatArtefacts(loaded, point, check, before, twin);
                ExcuseUnresolvedPhase(point, check, before, phase);
                if (p == 0)
                {
                    check.CheckContract(loaded, point, random);
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                problems.Add((ProblemKind.Threw, "The generated Backward threw " + Unwrap(e)));
                return problems;
            }

            problems.AddRange(check.Problems.Skip(before).Select(text => (ProblemKind.WrongGradient, text)));
            if (p == 0 && CountedCallProblem(compiled, loaded, tangents.TryGetValue(method.Key, out var counted) ? counted : null, point) is { } countProblem)
            {
                problems.Add((ProblemKind.WrongGradient, countProblem));
            }

            try
            {
                if (!tangents.TryGetValue(method.Key, out var tangent))
                {
                    problems.Add((ProblemKind.NotGenerated, "No Tangent was generated."));
                }
                else
                {
                    if (Forward.DotProductCheck.Check(method, tangent, loaded.Backward, point, random) is { } tangentProblem)
                    {
                        problems.Add((ProblemKind.TangentDisagrees, "Tangent: " + tangentProblem));
                    }

                    var beforeDirection = check.Problems.Count;
                    check.CheckDirection(loaded, tangent, point, random);
                    ExcuseUnresolvedPhase(point, check, beforeDirection, phase);
                    problems.AddRange(check.Problems.Skip(beforeDirection).Select(text => (ProblemKind.TangentDisagrees, text)));
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                problems.Add((ProblemKind.Threw, "The generated Tangent or Backward threw " + Unwrap(e)));
                return problems;
            }
        }

        return problems;
    }

    /// <summary>
    /// A float program's wrong gradients at a point are finite-difference artefacts when its double twin's
    /// differences match the float Backward at every coordinate (<see cref="DoubleTwin"/>): they are dropped and
    /// counted. Otherwise they stand, followed by the double comparison's lines.
    /// </summary>
    private static void ExcuseFloatArtefacts(LoadedMethod loaded, double[][] point, TwoStepCheck check, int before, Func<DoubleTwin?>? twin)
    {
        var single = loaded.Method.ReturnsFloat || loaded.Method.Parameters.Any(p => p.IsSinglePrecision);
        if (check.Problems.Count == before || !single || twin?.Invoke() is not { } inDouble)
        {
            return;
        }

        var problems = inDouble.Check(loaded, point);
        if (problems.Count == 0)
        {
            check.Problems.RemoveRange(before, check.Problems.Count - before);
            check.FloatArtefacts++;
            return;
        }

        check.Problems.AddRange(problems);
    }

    /// <summary>
    /// Comparisons with finite differences at a point where the program takes a periodic function of an argument past
    /// its rounding (<see cref="UnresolvedPhase"/>, batch 20261126's P101) are not evidence: the chain rule's
    /// <c>cos(q)·q′</c> is there, and differences cannot see it. Those comparisons (and only those: the contract's
    /// problems stay) are dropped and the point counted; the Tangent is still checked against Backward.
    /// </summary>
    private static void ExcuseUnresolvedPhase(double[][] point, TwoStepCheck check, int before, Func<UnresolvedPhase?>? phase)
    {
        bool Compared(string text) => text.StartsWith("∂/∂", StringComparison.Ordinal) || text.StartsWith("  in double: ∂/∂", StringComparison.Ordinal) || text.StartsWith("Tangent along", StringComparison.Ordinal);
        if (!check.Problems.Skip(before).Any(Compared) || phase?.Invoke() is not { } probe || !probe.At(point))
        {
            return;
        }

        var kept = check.Problems.Skip(before).Where(t => !Compared(t)).ToList();
        check.Problems.RemoveRange(before, check.Problems.Count - before);
        check.Problems.AddRange(kept);
        check.UnresolvedPhases++;
    }

    /// <summary>
    /// A problem found against finite differences (Backward's, or the Tangent's along a direction): only meaningful
    /// with the program's lockstep reference when it has one, which the minimiser cannot shrink along.
    /// </summary>
    public static bool ComparesWithFiniteDifferences((ProblemKind Kind, string Text) problem) =>
        problem.Kind == ProblemKind.WrongGradient || problem.Text.StartsWith("Tangent along", StringComparison.Ordinal);

    private static ProblemKind Classify(string reason) =>
        reason.Contains("SG1000", StringComparison.Ordinal) || reason.StartsWith("The generator threw", StringComparison.Ordinal) ? ProblemKind.Crash
        : reason.StartsWith("The generated code does not compile", StringComparison.Ordinal) || reason.StartsWith("The backward's signature", StringComparison.Ordinal) ? ProblemKind.GeneratedCodeError
        : ProblemKind.NotGenerated;

    private static string Unwrap(Exception e) => (e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e).ToString();
}
