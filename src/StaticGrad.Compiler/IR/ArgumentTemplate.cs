using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace StaticGrad.Compiler.IR;

/// <summary>
/// How one parameter of a [Differentiable] callee is built from the call's IR arguments: a struct or tuple argument
/// is passed to the backward and the tangent leaf by leaf (the callee's scalarised overloads), and only the primal
/// call rebuilds the value, e.g. <c>new global::System.Numerics.Vector3({0}, {1}, {2})</c> over three leaves.
/// </summary>
/// <param name="Leaves">How many IR arguments the parameter takes.</param>
/// <param name="Text">The C# text with <c>{k}</c> standing for its k-th leaf.</param>
public sealed record ArgumentTemplate(int Leaves, string Text)
{
    /// <summary>The primal call's arguments: each template filled with its leaves, in order.</summary>
    public static IEnumerable<string> Apply(IReadOnlyList<ArgumentTemplate> templates, IReadOnlyList<string> arguments)
    {
        var next = 0;
        foreach (var template in templates)
        {
            var text = template.Text;
            for (var k = template.Leaves - 1; k >= 0; k--)
            {
                text = text.Replace("{" + k.ToString(CultureInfo.InvariantCulture) + "}", arguments[next + k]);
            }

            next += template.Leaves;
            yield return text;
        }
    }

    public static string Placeholder(int k) => "{" + k.ToString(CultureInfo.InvariantCulture) + "}";

    public static IEnumerable<string> Placeholders(int count) => Enumerable.Range(0, count).Select(Placeholder);
}
