using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The double twin that decides whether a float program's wrong gradient is a finite-difference artefact
/// (<see cref="DoubleTwin"/>): it is the same function, it excuses session 7's two float artefacts, and it does not
/// excuse a float Backward that is really wrong.
/// </summary>
public sealed class DoubleTwinTests
{
    private static readonly (string Name, string Source, int Seed)[] s_programs =
    {
        ("P38", FloatArtefactPrograms.P38, RandomBatch.ProgramSeed(20261173, 38)),
        ("P152", FloatArtefactPrograms.P152, RandomBatch.ProgramSeed(20261479, 152)),
    };

    [Fact]
    public void The_twin_is_the_float_program_in_double()
    {
        foreach (var (name, source, seed) in s_programs)
        {
            var text = DoubleTwin.ToDouble(source);
            Assert.DoesNotContain("float", text, StringComparison.Ordinal);
            Assert.DoesNotContain("MathF", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\d[fF]\b", text);

            var (compiled, program) = Compile(name, source, seed);
            var twin = DoubleTwin.Compile(Array.Empty<RandomProgram>(), program);
            Assert.NotNull(twin);

            // At the program's own points the float Backward matches the twin's double differences (these are the
            // points where the float differences reported it wrong).
            var loaded = compiled.Loaded["Programs." + name];
            var random = new Random(seed);
            var point = FiniteDifferenceCheck.DrawPoint(loaded.Method, random);
            Assert.Empty(twin!.Check(loaded, point));
        }
    }

    // P38 no longer fails the float differences (the refined steps of TwoStepCheck settle it); P152 does.
    [Fact]
    public void Session_7_float_artefact_P152_is_reported_by_float_differences_and_excused_by_the_twin()
    {
        foreach (var (name, source, seed) in s_programs.Where(p => p.Name == "P152"))
        {
            var (compiled, program) = Compile(name, source, seed);
            var tangents = Forward.TangentAdapters.CompileAgainst(compiled, compiled.Loaded.Values.Select(l => l.Method).ToList());
            var method = compiled.Loaded["Programs." + name].Method;
            var nonFinite = 0;
            var without = ProgramCheck.Run(compiled, tangents, method, seed, new TwoStepCheck(), ref nonFinite);
            Assert.True(without.Any(p => p.Kind == ProblemKind.WrongGradient), name + " passes float differences:\n" + string.Join("\n", without.Select(p => p.Text)));

            var check = new TwoStepCheck();
            var with = ProgramCheck.Run(compiled, tangents, method, seed, check, ref nonFinite, () => DoubleTwin.Compile(Array.Empty<RandomProgram>(), program));
            Assert.True(with.Count == 0, name + ":\n" + string.Join("\n", with.Select(p => p.Text)));
            Assert.True(check.FloatArtefacts >= 1, name);
        }
    }

    [Fact]
    public void A_wrong_float_gradient_is_still_reported()
    {
        foreach (var (name, source, seed) in s_programs)
        {
            var (compiled, program) = Compile(name, source, seed);
            var key = "Programs." + name;
            var loaded = compiled.Loaded[key];
            var first = loaded.Method.Parameters.ToList().FindIndex(p => p.IsDifferentiable && !p.IsSequence);

            // A Backward off by 0.05 in one partial, as a compiler bug would be.
            compiled.Loaded[key] = loaded with
            {
                Backward = (p, d, s) =>
                {
                    var value = loaded.Backward(p, d, s);
                    d[first][0] += 0.05 * s;
                    return value;
                },
            };
            var tangents = Forward.TangentAdapters.CompileAgainst(compiled, new[] { loaded.Method });
            var check = new TwoStepCheck();
            var nonFinite = 0;
            var problems = ProgramCheck.Run(compiled, tangents, loaded.Method, seed, check, ref nonFinite, () => DoubleTwin.Compile(Array.Empty<RandomProgram>(), program));
            var partial = "∂/∂" + loaded.Method.Parameters[first].Name + " = ";
            Assert.Contains(problems, p => p.Kind == ProblemKind.WrongGradient && p.Text.StartsWith("  in double: " + partial, StringComparison.Ordinal));
        }
    }

    private static (CompiledBatch Compiled, RandomProgram Program) Compile(string name, string source, int seed)
    {
        var program = new RandomProgram(name, seed, source, IsHelper: false, NeedsReference: source.Contains("_FdReference(", StringComparison.Ordinal), Array.Empty<Production>());
        var unit = ProgramGenerator.CompilationUnit("FloatArtefact" + name, Array.Empty<RandomProgram>(), new[] { program });
        var methods = MethodUnderTest.ReadAll(unit).Where(m => m.Name == name).ToList();
        var compiled = CompiledBatch.Compile(new[] { unit }, methods);
        Assert.True(compiled.Failures.Count == 0, string.Join("\n", compiled.Failures.Values));
        return (compiled, program);
    }
}
