using System.Globalization;
using System.Text;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// A BA-shaped result helper per batch (session 17, issue 18): a tuple of two or three fields (double or float) built from
/// the cosine and sine of an angle √(a² + c·b² + c₀), quotients of the parameters by the angle and by an expression,
/// a local assigned in a branch on a parameter and then from itself, drawn from the batch seed. It has no loop, no
/// array and no call, so its <c>{Name}Jacobian</c> takes the one width-k reverse sweep
/// (ReverseModeTransformer.JacobianWidth.cs); <see cref="JacobianCheck"/> compares every row with central differences
/// in the random-program run and <c>JacobianShareTests</c> asserts that the sweep is reached. Its locals are drawn from
/// names the sweep emits itself (<c>_p0</c>, <c>_r0</c>, <c>dXdA</c>, <c>seed</c>, …).
/// </summary>
public sealed partial class ProgramGenerator
{
    public const string ResultRotation = "ResultRotation";

    /// <summary>Locals the helper may take: the width-k sweep's own temporaries and adjoint names among ordinary ones.</summary>
    private static readonly string[] s_rotationNames =
    {
        "angle", "cos", "sin", "u", "v", "q", "depth", "_p0", "_p1", "_r0", "_r1", "dXdA", "dXdQ", "dYdQ", "seed", "value", "_dx_0", "_dx_1", "dFirstdU",
    };

    public static RandomProgram RotationHelper(int batchSeed)
    {
        var seed = RandomBatch.ProgramSeed(batchSeed, -105);
        var random = new Random(seed);
        var isFloat = random.Next(3) == 0;
        var three = random.Next(2) == 0;
        var t = isFloat ? "float" : "double";
        var m = isFloat ? "MathF" : "Math";
        string L(double value) => value.ToString("0.0##", CultureInfo.InvariantCulture) + (isFloat ? "f" : string.Empty);
        double Draw(double low, double high) => low + (Math.Round((high - low) * random.NextDouble() * 8) / 8);

        // Eight distinct locals: squared angle, angle, cos, sin, u, v, q, depth.
        var names = s_rotationNames.OrderBy(_ => random.Next()).Take(8).ToArray();
        var (squared, angle, cos, sin, u, v, q, depth) = (names[0], names[1], names[2], names[3], names[4], names[5], names[6], names[7]);
        var fields = three ? $"({t} X, {t} Y, {t} Z)" : $"({t} X, {t} Y)";
        var body = new StringBuilder();
        body.Append("\n// A BA-shaped result helper: one width-k reverse sweep for its Jacobian.\n");
        body.Append("[Differentiable(Jacobian = true)]\n");
        body.Append($"public static {fields} {ResultRotation}({t} a, {t} b)\n{{\n");
        body.Append($"    var {squared} = a * a + {L(Draw(0.25, 1.5))} * b * b + {L(Draw(0.3, 0.9))};\n");
        body.Append($"    var {angle} = {m}.Sqrt({squared});\n");
        body.Append($"    var {cos} = {m}.Cos({angle});\n");
        body.Append($"    var {sin} = {m}.Sin({angle});\n");
        body.Append($"    var {u} = a / {angle};\n");
        body.Append($"    var {v} = b / {angle};\n");
        body.Append($"    var {q} = {L(0)};\n");
        body.Append($"    if ({(random.Next(2) == 0 ? "a" : "b")} {(random.Next(2) == 0 ? ">" : "<")} {L(Draw(-0.5, 0.5))})\n    {{\n");
        body.Append(random.Next(2) == 0
            ? $"        {q} = {u} * {cos} - {v} * {sin} * {L(Draw(0.5, 2))};\n"
            : $"        {q} = ({u} + {v} * {cos}) / ({L(Draw(1, 2))} + {sin} * {sin});\n");
        body.Append("    }\n    else\n    {\n");
        body.Append(random.Next(2) == 0
            ? $"        {q} = {v} * {sin} + a * {cos} / ({L(Draw(1.5, 3))} + b);\n"
            : $"        {q} = {u} * {u} - {sin} / {angle};\n");
        body.Append("    }\n\n");
        body.Append($"    {q} = {q} * {L(Draw(0.5, 1.5))} + {(random.Next(2) == 0 ? u : v)};\n");
        body.Append($"    var {depth} = {L(Draw(2.5, 4))} + {cos} * {u} * {v} + {(random.Next(2) == 0 ? $"{sin} * a" : $"{q} * {q} / ({L(Draw(1, 2))} + {q} * {q})")};\n");
        var x = random.Next(2) == 0 ? $"{q} / {depth}" : $"({q} + a * {cos}) / {depth}";
        var y = random.Next(2) == 0 ? $"{v} * {sin} - b / {depth}" : $"{q} * {q} / {depth} + {u}";
        var z = random.Next(2) == 0 ? $"{m}.Exp({L(0.5)} * {u}) / {depth}" : $"{angle} * {cos} - {q}";
        body.Append(three ? $"    return ({x}, {y}, {z});\n}}\n" : $"    return ({x}, {y});\n}}\n");
        return new RandomProgram(ResultRotation, seed, body.ToString(), IsHelper: true, NeedsReference: false, Array.Empty<Production>());
    }
}
