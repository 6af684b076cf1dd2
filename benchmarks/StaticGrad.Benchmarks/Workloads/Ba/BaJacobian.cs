namespace StaticGrad.Benchmarks.Workloads.Ba;

/// <summary>
/// The BA Jacobian in ADBench's compressed-row layout (BASparseMat): rows 2i and 2i + 1 (observation i's
/// reprojection error) hold 15 entries each — the 11 parameters of its camera, the 3 coordinates of its point, its
/// weight — and row 2p + i (its weight error) holds 1 entry. The structure (<see cref="RowStarts"/>,
/// <see cref="Columns"/>) is built once per instance; the implementations only write <see cref="Values"/> and the
/// <see cref="Residuals"/> they were evaluated at.
/// </summary>
public sealed class BaJacobian
{
    /// <summary>Entries in a reprojection row: camera, point, weight.</summary>
    public const int ReprojectionRowSize = BaInstance.CameraSize + 3 + 1;

    public BaJacobian(BaInstance instance)
    {
        int p = instance.P, pointColumns = BaInstance.CameraSize * instance.N, weightColumns = pointColumns + (3 * instance.M);
        RowStarts = new int[(3 * p) + 1];
        Columns = new int[(2 * ReprojectionRowSize * p) + p];
        Values = new double[Columns.Length];
        Residuals = new double[3 * p];
        var entry = 0;
        for (var i = 0; i < p; i++)
        {
            var camera = instance.Observations[2 * i];
            var point = instance.Observations[(2 * i) + 1];
            for (var row = 0; row < 2; row++)
            {
                RowStarts[(2 * i) + row] = entry;
                for (var j = 0; j < BaInstance.CameraSize; j++)
                {
                    Columns[entry++] = (BaInstance.CameraSize * camera) + j;
                }

                for (var j = 0; j < 3; j++)
                {
                    Columns[entry++] = pointColumns + (3 * point) + j;
                }

                Columns[entry++] = weightColumns + i;
            }
        }

        for (var i = 0; i < p; i++)
        {
            RowStarts[(2 * p) + i] = entry;
            Columns[entry++] = weightColumns + i;
        }

        RowStarts[3 * p] = entry;
        ObservationCount = p;
    }

    public int ObservationCount { get; }

    /// <summary>Start of each row in <see cref="Columns"/> and <see cref="Values"/>, plus the end (3p + 1 entries).</summary>
    public int[] RowStarts { get; }

    public int[] Columns { get; }

    public double[] Values { get; }

    /// <summary>The residuals (reprojection errors, then weight errors) at the point the Jacobian was evaluated.</summary>
    public double[] Residuals { get; }

    /// <summary>Row <paramref name="coordinate"/> (0 = x, 1 = y) of observation <paramref name="observation"/>: camera, point, weight entries.</summary>
    public Span<double> ReprojectionRow(int observation, int coordinate) =>
        Values.AsSpan(((2 * observation) + coordinate) * ReprojectionRowSize, ReprojectionRowSize);

    /// <summary>The one entry of observation <paramref name="observation"/>'s weight-error row.</summary>
    public ref double WeightErrorEntry(int observation) => ref Values[(2 * ReprojectionRowSize * ObservationCount) + observation];
}
