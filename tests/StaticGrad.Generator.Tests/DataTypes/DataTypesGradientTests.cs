namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Every data-types corpus function (structs, System.Numerics, configuration objects): its contract backward against
/// central finite differences, adjoint accumulation and seed scaling, and its tangent against the gradient
/// (tolerances: <see cref="StructGradientCheck"/>).
/// </summary>
public sealed class DataTypesGradientTests
{
    public static TheoryData<string> Functions()
    {
        var data = new TheoryData<string>();
        foreach (var key in DataTypesCorpus.Keys())
        {
            data.Add(key);
        }

        return data;
    }

    [Fact]
    public void Corpus_covers_at_least_sixty_functions() =>
        Assert.True(DataTypesCorpus.Keys().Count() >= 60, $"The data-types corpus has {DataTypesCorpus.Keys().Count()} functions.");

    [Fact]
    public void A_buffer_created_in_a_loop_ignores_what_its_pooled_adjoint_held_before()
    {
        var check = DataTypesCorpus.Check("Buffers.RollingWindow");

        // The backward rents adjoint buffers from the shared pool, longer than asked: leave garbage in one first.
        var dirty = System.Buffers.ArrayPool<double>.Shared.Rent(16);
        Array.Fill(dirty, 1e6);
        System.Buffers.ArrayPool<double>.Shared.Return(dirty);
        check.Check(new Random(7));
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
    }

    [Fact]
    public void Backward_and_tangent_leave_the_callers_array_of_structs_as_it_was()
    {
        // NBody.Step writes bodies[i].Velocity and .Position of its parameter: only the method itself may change the caller's array.
        var type = DataTypesCorpus.Assembly.GetType("DataCorpus.NBody", throwOnError: true)!;
        var arguments = (object[])type.GetMethod("Step_Args")!.Invoke(null, null)!;
        var bodies = (Array)arguments[0];
        var before = bodies.Cast<object>().ToArray();
        var adjoints = Array.CreateInstance(bodies.GetType().GetElementType()!, bodies.Length);
        type.GetMethod("Step_Backward")!.Invoke(null, new[] { bodies, arguments[1], adjoints, 0f, 1f });
        Assert.Equal(before, bodies.Cast<object>().ToArray());
        type.GetMethod("Step_Tangent")!.Invoke(null, new[] { bodies, arguments[1], adjoints, 1f });
        Assert.Equal(before, bodies.Cast<object>().ToArray());
        type.GetMethod("Step")!.Invoke(null, new[] { bodies, arguments[1] });
        Assert.NotEqual(before, bodies.Cast<object>().ToArray());
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Backward_and_tangent_match_finite_differences(string key)
    {
        var check = DataTypesCorpus.Check(key);
        check.Check(new Random(key.Length * 7919 + key[^1]));
        Assert.True(check.Problems.Count == 0, key + ":\n" + string.Join("\n", check.Problems));
        Assert.True(check.Compared > 0, key + ": nothing was compared.");
    }
}
