using System.Globalization;
using System.Text;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The batch's one-input helper (session 18, issue 18): Black–Scholes' <c>NormalCdf</c> shape, drawn per batch. A
/// bounded start (<c>Tanh</c>, <c>Atan</c> or z / √(1 + z²) of the argument), a chain of Horner steps
/// that overwrite one local, a branch on the start whose arms overwrite it differently, and maybe a counted loop and a
/// quotient, maybe the log of a quotient (session 21). One scalar input and values the reverse sweep would restore: its backward runs in forward mode
/// (<c>Forward/TangentBackward.cs</c>), and every program that calls it (<see cref="Production.SingleInputCall"/>)
/// checks that backward's value and seed against finite differences.
/// </summary>
public sealed partial class ProgramGenerator
{
    private const string HornerHelperName = "Helpers.Horner";

    public static RandomProgram HornerHelper(int batchSeed)
    {
        var random = new Random(batchSeed ^ 0x4C0F);
        string C() => (Math.Round(random.NextDouble() * 2 - 1, 2)).ToString("0.0##", CultureInfo.InvariantCulture);
        var body = new StringBuilder();
        body.Append("\n// domain: z=-3..3\n[Differentiable]\npublic static double Horner(double z)\n{\n");
        body.Append(random.Next(3) switch
        {
            0 => "    var t = Math.Tanh(z);\n",
            1 => "    var t = 0.6 * Math.Atan(z);\n",
            _ => "    var t = z / Math.Sqrt(1.0 + z * z);\n",
        });
        body.Append($"    var p = {C()} * t + {C()};\n");
        for (var i = 1 + random.Next(5); i > 0; i--)
        {
            body.Append($"    p = p * t + {C()};\n");
        }

        if (random.Next(2) == 0)
        {
            body.Append($"    if (t > {C()})\n    {{\n        p = p * t + {C()};\n        p = (p * t) + {C()};\n    }}\n    else\n    {{\n        p = Math.Sin(p) * t + {C()};\n    }}\n");
        }

        if (random.Next(2) == 0)
        {
            body.Append($"    for (var k = 0; k < {2 + random.Next(3)}; k++)\n    {{\n        p = p * t + {C()} * k;\n    }}\n");
        }

        if (random.Next(3) == 0)
        {
            body.Append("    p = p / (1.0 + t * t);\n");
        }

        var returned = random.Next(2) == 0 ? "    return p;\n}\n" : "    return Math.Exp(-t * t) * p;\n}\n";

        // Drawn last, so that the rest of the helper's text is what it was before session 21: the log of a quotient
        // (LogQuotientRule) in forward mode, both sides active and positive (|t| < 1).
        if (random.Next(2) == 0)
        {
            body.Append("    p = p + Math.Log((2.0 + t) / (1.5 + t * t));\n");
        }

        body.Append(returned);
        return new RandomProgram("Horner", batchSeed, body.ToString(), IsHelper: true, NeedsReference: false, Array.Empty<Production>());
    }
}
