using System.Globalization;
using StaticGrad.Compiler.Emit;

namespace StaticGrad.Compiler.Tests.Emit;

public sealed class IndentedWriterTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5e-300, "-2.5E-300")]
    [InlineData(100.0, "100.0")]
    public void Double_literals_round_trip_in_invariant_culture_whatever_the_current_culture(double value, string expected)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            // German writes 0,1: generated code must not change with the machine that compiles it.
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var literal = IndentedWriter.Literal(value);
            Assert.Equal(expected, literal);
            Assert.Equal(value, double.Parse(literal, CultureInfo.InvariantCulture));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Float_literals_carry_the_suffix()
    {
        Assert.Equal("0.1f", IndentedWriter.Literal(0.1f));
        Assert.Equal("float.NaN", IndentedWriter.Literal(float.NaN));
    }

    [Fact]
    public void Lines_holding_a_marker_are_removed_with_their_newline()
    {
        // The forward sweep's pushes of kept values no reverse read (session 18) go this way.
        var w = new IndentedWriter();
        w.OpenBrace();
        w.WriteLine("a = 1;");
        w.WriteLine("\u0003_m0\u0003_tape.Push(_m0);");
        w.WriteLine("b = 2;");
        w.CloseBrace();
        w.RemoveLinesContaining("\u0003");
        Assert.Equal("{\n    a = 1;\n    b = 2;\n}\n", w.ToString());

        // Without a marker nothing changes.
        w.RemoveLinesContaining("\u0003");
        Assert.Equal("{\n    a = 1;\n    b = 2;\n}\n", w.ToString());
    }

    [Fact]
    public void Braces_indent_their_content()
    {
        var w = new IndentedWriter();
        w.WriteLine("class C");
        w.OpenBrace();
        w.WriteLine("int x;");
        w.WriteLine();
        w.CloseBrace();

        Assert.Equal("class C\n{\n    int x;\n\n}\n", w.ToString());
    }
}
