namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    private const string InHelperName = "Helpers.InBlend";

    /// <summary>A stream of its own for <see cref="Production.InArgumentCall"/>, so every other program's text is unchanged.</summary>
    private readonly Random _inArguments;

    /// <summary>
    /// The helper whose parameters are <c>in</c> (session 25, <see cref="Production.InArgumentCall"/>): geometry and game
    /// code passes its values by reference to read-only helpers. Checked like every helper.
    /// </summary>
    public static RandomProgram InHelper() => new(
        "InBlend",
        25,
        "\n// domain: u=-3..3 w=-3..3\n[Differentiable]\npublic static double InBlend(in double u, in double w) => u * Math.Tanh(w) + 0.25 * Math.Sin(u + w);\n",
        IsHelper: true,
        NeedsReference: false,
        Array.Empty<Production>());

    /// <summary>
    /// A helper call's value blended with its first argument through <see cref="InHelper"/>: the first argument passed
    /// <c>in</c> when it is a local of the double program (a variable of the parameter's type, as <c>in</c> requires),
    /// plainly otherwise (a value or a float: C# passes a temporary).
    /// </summary>
    private (string Src, string Shadow, string Reference) InArgumentCall(Fragment first, string src, string shadow, string reference)
    {
        if (!Allowed(Production.InArgumentCall) || _inArguments.NextDouble() >= 0.12)
        {
            return (src, shadow, reference);
        }

        Use(Production.InArgumentCall);
        var byReference = !_single && _assignable.Contains(first.Src) ? "in " : string.Empty;
        return (InHelperName + "(" + byReference + first.Src + ", " + src + ")", InHelperName + "(" + first.Shadow + ", " + shadow + ")", InHelperName + "(" + first.Ref + ", " + reference + ")");
    }
}
