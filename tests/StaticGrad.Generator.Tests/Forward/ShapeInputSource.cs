namespace StaticGrad.Generator.Tests.Forward;

/// <summary>
/// Compiled next to the Hessian shape tests' sources (imported with <c>using static ShapeInputs.Shaped;</c>): grids and
/// ragged rows built from, and grids flattened into, the flat point a finite-difference check varies (a source's own
/// <c>Flatten</c> overloads hide an imported one, so each forwards its grid overload to <c>FlattenGrid</c>).
/// </summary>
internal static class ShapeInputSource
{
    public const string Source = """
        using System.Numerics;

        namespace ShapeInputs;

        public static class Shaped
        {
            public static double[,] Grid(double[] p, int offset, int rows, int columns)
            {
                var g = new double[rows, columns];
                for (var i = 0; i < rows * columns; i++) g[i / columns, i % columns] = p[offset + i];
                return g;
            }

            public static float[,] GridF(double[] p, int offset, int rows, int columns)
            {
                var g = new float[rows, columns];
                for (var i = 0; i < rows * columns; i++) g[i / columns, i % columns] = (float)p[offset + i];
                return g;
            }

            public static void FlattenGrid<T>(T[,] g, double[] into, int offset) where T : INumber<T>
            {
                var k = offset;
                foreach (var e in g) into[k++] = double.CreateChecked(e);
            }

            public static T[][] Ragged<T>(double[] p, int offset, int[] lengths) where T : INumber<T>
            {
                var rows = new T[lengths.Length][];
                for (var i = 0; i < lengths.Length; i++)
                {
                    rows[i] = new T[lengths[i]];
                    for (var j = 0; j < lengths[i]; j++) rows[i][j] = T.CreateChecked(p[offset++]);
                }

                return rows;
            }
        }
        """;
}
