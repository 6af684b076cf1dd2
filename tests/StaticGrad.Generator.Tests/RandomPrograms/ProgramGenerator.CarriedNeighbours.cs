namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 20: <see cref="Production.CarriedNeighbours"/>. Session 18's neighbour reads carried the adjoint of
/// <c>a[i + 1]</c> across fused iterations in 0.4 % of the programs only: the rest of the reduction's body read the
/// array at other indices, stored into it or passed it whole, which the carrying refuses. These shapes read it only in
/// their own term at the top of the body, as users write them: Rosenbrock's <c>k·(a[i+1] − a[i]²)² + (e − a[i])²</c>,
/// a second-difference stencil <c>a[i+1] − 2a[i] + a[i−1]</c> from <c>i = 1</c>, and a spring chain's stretch
/// <c>a[i+1] − a[i] − e</c>. Drawn from a stream of its own, so every other program's text is unchanged.
/// </summary>
public sealed partial class ProgramGenerator
{
    private const int CarriedRosenbrock = 0;
    private const int CarriedStencil = 1;
    private const int CarriedSpring = 2;

    /// <summary>The carried shape of a reduction that reads neighbours, or null for session 18's free body.</summary>
    private int? CarriedShape()
    {
        if (!Allowed(Production.CarriedNeighbours) || _carriedNeighbours.NextDouble() >= 0.9)
        {
            return null;
        }

        Use(Production.CarriedNeighbours);
        return _carriedNeighbours.Next(3);
    }

    /// <summary>At the top of the reduction's body: the shape's term over <c>a[i + 1]</c>, <c>a[i]</c> (and <c>a[i − 1]</c>) added into the accumulator.</summary>
    private void CarriedTerm(string accumulator, string i, int shape)
    {
        var array = _arrayParameter!;
        var next = Element(array, i + " + 1");
        var at = Element(array, i);
        var op = _carriedNeighbours.NextDouble() < 0.7 ? "+=" : "-=";

        // The scalar expressions may not read the array themselves (see above).
        var writable = _writableArrayParameter;
        (_arrayParameter, _writableArrayParameter) = (null, false);
        var e = Expression(1);
        (_arrayParameter, _writableArrayParameter) = (array, writable);
        switch (shape)
        {
            case CarriedRosenbrock:
                {
                    var valley = Fresh("nb");
                    var slope = Fresh("lo");
                    Declare(valley, Fragment.Combine("{0} - {1} * {1}", next, at), T);
                    Declare(slope, Fragment.Combine("{0} - {1}", e, at), T);
                    Assign(accumulator, op, Fragment.Combine("{0} * {0} * " + Literal(2.5) + " + {1} * {1}", Fragment.Variable(valley), Fragment.Variable(slope)));
                    break;
                }

            case CarriedStencil:
                {
                    var laplacian = Fresh("lap");
                    Declare(laplacian, Fragment.Combine("{0} - " + Literal(2) + " * {1} + {2}", next, at, Element(array, i + " - 1")), T);
                    Assign(accumulator, op, Fragment.Combine("{0} * {0} * {1}", Fragment.Variable(laplacian), e));
                    break;
                }

            default:
                {
                    var stretch = Fresh("sp");
                    Declare(stretch, Fragment.Combine("{0} - {1} - {2}", next, at, e), T);
                    Assign(accumulator, op, Fragment.Combine("{0} * {0} * " + Literal(0.5), Fragment.Variable(stretch)));
                    break;
                }
        }
    }
}
