using StaticGrad;
using static System.FormattableString;

// The generator writes Functions.RosenbrockBackward while this project compiles: it returns f(x, y) and adds
// ∂f/∂x to dx and ∂f/∂y to dy.
double x = -1.2, y = 1.0;
double dx = 0, dy = 0;
var value = Functions.RosenbrockBackward(x, y, ref dx, ref dy);
var check = FiniteDifferences.Gradient(p => Functions.Rosenbrock(p[0], p[1]), new[] { x, y });
Console.WriteLine(Invariant($"f(-1.2, 1)         = {value:F4}"));
Console.WriteLine(Invariant($"generated gradient = ({dx:F6}, {dy:F6})"));
Console.WriteLine(Invariant($"finite differences = ({check[0]:F6}, {check[1]:F6})"));

// Gradient descent from (-1.2, 1) down the curved valley to the minimum at (1, 1).
const double learningRate = 0.001;
for (var iteration = 0; iteration <= 40_000; iteration++)
{
    dx = 0;
    dy = 0;
    value = Functions.RosenbrockBackward(x, y, ref dx, ref dy);
    if (iteration % 5_000 == 0)
    {
        Console.WriteLine(Invariant($"iteration {iteration,6}  f = {value,12:G6}  |gradient| = {Math.Sqrt((dx * dx) + (dy * dy)),10:G4}  (x, y) = ({x:F4}, {y:F4})"));
    }

    x -= learningRate * dx;
    y -= learningRate * dy;
}

internal static partial class Functions
{
    [Differentiable]
    public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
}
