using System.Collections.Generic;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// Stores that write each element of a fresh array once (<see cref="ArrayRegions.WrittenOnceStores"/>) save nothing:
/// the element they overwrite always holds the creation's zero, so their reverse writes zero back instead of popping
/// the old value from the tape (the MLP's hidden layer, GMM's diagonal).
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private HashSet<Stmt>? _writtenOnce;

    private HashSet<Stmt> WrittenOnce => _writtenOnce ??= ArrayRegions.WithFirstWrites(_method, ArrayRegions.WrittenOnceStores(_method));

    /// <summary>Gives the element back the value the store overwrote.</summary>
    private void RestoreElement(StoreStmt s, string location, IndentedWriter w)
    {
        if (WrittenOnce.Contains(s) && !_fusion.IsPrivateStore(s) && _recording.SaveOf(s) != Storage.None)
        {
            w.WriteLine(location + " = " + Zero(s.ElementType) + ";");
            return;
        }

        Restore(s, location, s.ElementType, w);
    }
}
