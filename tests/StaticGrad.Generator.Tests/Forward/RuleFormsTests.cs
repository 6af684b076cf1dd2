using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.Forward;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator.Tests.Forward;

/// <summary>
/// Forward mode reads the one table of built-in rules back into IR: every partial of every rule, for double and
/// float, must parse (the generator must never throw) and print back to the table's own formula (compared without
/// parentheses and spaces, which the printer sets by precedence).
/// </summary>
public sealed class RuleFormsTests
{
    public static TheoryData<string, int, int, bool> Partials()
    {
        var data = new TheoryData<string, int, int, bool>();
        foreach (var rule in BuiltinRules.All)
        {
            for (var i = 0; i < rule.Arity; i++)
            {
                data.Add(rule.Name, rule.Arity, i, false);
                data.Add(rule.Name, rule.Arity, i, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Partials))]
    public void Partial_reads_back_as_the_table_formula(string name, int arity, int index, bool isFloat)
    {
        var type = isFloat ? IrType.Float : IrType.Double;
        var math = isFloat ? "global::System.MathF" : "global::System.Math";
        var names = Enumerable.Range(0, arity).Select(i => "a" + i).ToList();
        var arguments = names.Select(n => (Expr)new VarExpr(type, n)).ToList();
        var call = new BuiltinCallExpr(type, math, name, arguments.ToEquatableArray(), 0);
        var rule = BuiltinRules.Find(name, arity)!;

        var expected = rule.Partial(new RuleContext(math, names, "g", isFloat), index);
        var actual = RuleForms.Partial(call, arguments, index, new VarExpr(type, "g"));

        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(Strip(expected), Strip(ExpressionPrinter.Print(actual!)));
    }

    private static string Strip(string text) => new(text.Where(c => c is not ('(' or ')' or ' ')).ToArray());
}
