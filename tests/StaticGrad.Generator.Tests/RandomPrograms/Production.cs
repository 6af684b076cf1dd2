namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>The grammar productions of the random-program generator, each of which can be switched off by name.</summary>
public enum Production
{
    Arithmetic,
    SmoothMath,
    KinkedMath,
    ZeroDerivativeMath,
    Conditional,
    Detach,
    HelperCall,
    ArrayParameter,
    SpanParameter,
    LocalArray,
    Stackalloc,
    IfElse,
    ForLoop,
    NestedLoop,

    /// <summary>A for loop under <c>i + 1 &lt; bound</c> (the spring chain's condition; session 15).</summary>
    OffsetLoop,

    /// <summary>A nested for loop starting after the outer loop's counter, <c>j = i + 1</c> (n-body's pairs; session 15).</summary>
    NextStartLoop,

    /// <summary>
    /// In a loop, a tuple helper's result stored into the local array element its argument read
    /// (<c>var (ra, rb) = Helpers.ResultTuple(t[i], t[j]); t[i] = …;</c>, the spring chain's <c>Kick</c>; session 16).
    /// </summary>
    ResultCallIntoArray,
    /// <summary>
    /// A helper call's value blended with its first argument by <c>Helpers.InBlend(in double u, in double w)</c>, the first
    /// passed <c>in</c> when it is a local of a double program (session 25).
    /// </summary>
    InArgumentCall,

    /// <summary>A helper call's value through the logistic helper <c>Helpers.Logistic</c>, whose partial the reverse writes from its value (session 16).</summary>
    LogisticCall,
    /// <summary>An inner loop reading an array at an offset stepped by a varying amount, inside a for loop (GMM's rows; session 16).</summary>
    SteppedRow,

    /// <summary>An inner loop <c>for (c = 0; c &lt; n; c++) r += a[off + c] * …</c> inside a for loop, reversed upwards over row spans (the MLP's rows; session 19).</summary>
    MlpRow,

    /// <summary>
    /// An inner loop <c>for (c = 0; c &lt; n; c++) r += i + K + c &lt; L ? a[i + K + c] * … : …</c> inside a for loop, its row
    /// at the array's end in the first outer iteration and past it in later ones: the forward's span copy, then its
    /// indexed fallback (session 20).
    /// </summary>
    MlpRowTail,

    /// <summary>
    /// Inside a for loop, a local table filled from the array parameter, then a triangle <c>for (j …) for (c = 0; c &lt; j; c++)
    /// r += t[c] · …</c>: a row whose bound an enclosing loop writes, so the forward's guard asks for 8 iterations (session 21).
    /// </summary>
    TriangleRows,

    /// <summary>A <see cref="TriangleRows"/> triangle with rows of at least 8 elements: its span copy runs (session 21).</summary>
    TriangleRowsLong,

    /// <summary>A <see cref="TriangleRows"/> triangle of GMM's jammable shape, drawn on its own stream: its forward runs rows four, two and one at a time (session 23).</summary>
    TriangleRowsJammed,

    /// <summary>
    /// A helper call's value through the batch's one-input helper <c>Helpers.Horner</c> (Black–Scholes' <c>NormalCdf</c>:
    /// overwritten polynomial steps under a branch, maybe a loop), whose backward runs in forward mode (session 18).
    /// </summary>
    SingleInputCall,

    /// <summary>
    /// The one-input helper called twice in one expression, <c>Horner(a) - 0.5 * Horner(0.25 - a)</c> (Black–Scholes'
    /// <c>Φ(d1)</c> and <c>Φ(d2)</c>): outside loops the two saved calls run as one <c>HornerBackwardPair</c> (session 25).
    /// </summary>
    PairedCall,

    /// <summary>
    /// The log of a quotient of two active values, <c>Math.Log((1 + a²) / (1.5 + cos a))</c>, differentiated by the rule
    /// ∂log(u/v) = du/u − dv/v (session 21); the batch's one-input helper draws <c>log((2 + t) / (1.5 + t²))</c> too.
    /// </summary>
    LogQuotient,

    /// <summary>Inside a reduction loop, an inner loop adding to the same accumulator (n-body's pairs; session 17).</summary>
    InnerReduction,
    /// <summary>A reduction loop under <c>i &lt; a.Length - 1</c> reading <c>a[i + 1]</c> and <c>a[i]</c> (Rosenbrock's valley; session 18).</summary>
    NeighbourReads,
    /// <summary>
    /// A <see cref="NeighbourReads"/> loop in a shape users write whose fused iteration carries the adjoint of <c>a[i + 1]</c>
    /// (Rosenbrock's term, a second-difference stencil from <c>i = 1</c>, a spring chain's stretch), the rest of its body
    /// reading the array parameter nowhere else (session 20).
    /// </summary>
    CarriedNeighbours,
    /// <summary>A reduction's term updated nonlinearly inside two counted loops reading their indices (GMM's rows in its point loop; session 17).</summary>
    SlottedRow,

    /// <summary>A reduction's term updated by a max or a kept <c>Exp</c> inside one counted leaf loop (GMM's log-sum-exp in its point loop; session 23).</summary>
    IterationStack,

    /// <summary>A loop whose condition increments or updates a local (<c>while (++k &lt; b)</c>, <c>while (c &amp;&amp; k++ &lt; b)</c>, <c>while ((d *= 0.5) &gt; 0.1 …)</c>; session 24).</summary>
    LoopCondition,

    /// <summary>Inside a for loop, a call of a counting helper that is not [Differentiable]: a value's factor, an int local, or a void logger (session 25).</summary>
    CountedCall,

    /// <summary>Inside a for loop, a row loop whose column loop steps an offset and reads the column (GMM's triangle; session 20).</summary>
    InterchangedRows,

    /// <summary>An <see cref="InterchangedRows"/> nest of at least 12 rows: the interchanged order runs (session 20).</summary>
    InterchangedRowsAtGuard,

    /// <summary>
    /// An <see cref="InterchangedRows"/> nest at or above the guard reading a local table created once at the top, at an
    /// offset stepped by one: the interchanged sweep walks its rows over spans (session 21).
    /// </summary>
    InterchangedRowSpans,

    /// <summary>In a for loop, a local set to a factor times a library call of its old value (LSTM's <c>h = o · tanh(c)</c>; session 18).</summary>
    KeptFactor,

    /// <summary>In a for loop outside every loop, a counted inner loop setting a local to a factor times a library call of its old value (LSTM's cells; session 19).</summary>
    SlottedCell,
    /// <summary>In a for loop, a local set to the tanh of a constant times its own square or cube (Rosenbrock's <c>100·v·v</c>; session 19).</summary>
    PowerProduct,
    /// <summary>After the result's value is taken, a loop updating a local it read until it overflows (batch 20262323's P39; session 19).</summary>
    DeadTail,

    /// <summary>In a for loop, the counter read as an enum in a local and switched on (<c>(RpMode)(i % 3)</c>; session 20).</summary>
    EnumCast,

    /// <summary>In a for loop, a <c>foreach</c> over a static readonly table (session 20).</summary>
    TableForeach,

    /// <summary>In a for loop, a local array of tuples written by element and read by <c>foreach (var (a, b) in …)</c> (session 20).</summary>
    TupleArray,

    /// <summary>In a for loop, a LINQ reduction (Sum, Select(…).Sum(), Average, Max, Min, Zip(…).Sum()) over an array (session 21).</summary>
    LinqReduction,
    /// <summary>
    /// Before the result, a flag from a condition, a loop updating a local the result reads until it overflows when the
    /// flag is set, and an early return under the flag (batch 20262460's P51; session 20).
    /// </summary>
    OverflowBeforeReturn,

    /// <summary>After the result's value is taken, a loop whose last trip overflows a local read only by the next trip (batch 20262617's P138; review rev-nan21).</summary>
    LastTripOverflow,
    WhileLoop,
    DoWhileLoop,
    Foreach,
    Break,
    Continue,
    EarlyReturn,
    NoGradBlock,
    Switch,
    IncrementDecrement,
    CompoundAssignment,
    NoGradParameter,
    IntParameter,
    SinglePrecision,
    BreakInsideSwitchSection,
    Reduction,
    ParameterWrite,
    LoopRestore,
    Struct,
    Tuple,
    LocalFunction,
    PatternSwitch,
    SwitchExpression,
    IsPattern,
    Guard,
    ParameterArrayWrite,
    TwoDimensionalParameter,
    JaggedParameter,
    Range,
    RecursiveLocalFunction,
    LocalTwoDimensionalArray,
    ResultCall,
    LocalJaggedArray,
    Spread,
    MutualRecursion,
    GridLiteral,
    RaggedLiteral,
    LiteralInLoop,
    SpreadArgument,
    CollectionArgument,
    WithExpression,
    PropertyPattern,
    LocalStructArray,
    ScratchArray,
    UserOperator,
    RaggedRowLoop,
    RangeSpread,
    RangeSpreadInLoop,
    RowElementForeach,
    GridForeach,
    RowSpread,
    RaggedRowShapes,
    RaggedRowBranches,
    RaggedRowWhile,
    GridArgument,
    JaggedArgument,
    CallSpread,
}

/// <summary>
/// Productions the compiler does not support yet, with the reason: the generator leaves them out. Each entry is a
/// bug report for the compiler; remove it when the construct is supported.
/// </summary>
public static class UnsupportedProductions
{
    public static readonly IReadOnlyDictionary<Production, string> All = new Dictionary<Production, string>
    {
    };
}

/// <summary>
/// The stated minimum share of random programs that use each recorded production (issue 13: the generator must keep
/// exercising every construct the body language accepts). <see cref="ProgramGeneratorTests"/> counts them over 1 000
/// programs, and the large run prints the shares it saw.
/// </summary>
public static class ProductionShares
{
    public static readonly IReadOnlyDictionary<Production, double> Minimum = new Dictionary<Production, double>
    {
        [Production.Struct] = 0.04,
        [Production.DeadTail] = 0.1,
        [Production.EnumCast] = 0.02,
        [Production.TableForeach] = 0.02,
        [Production.TupleArray] = 0.02,
        [Production.LinqReduction] = 0.03,
        [Production.OverflowBeforeReturn] = 0.04,
        [Production.LastTripOverflow] = 0.04,
        [Production.Tuple] = 0.04,
        [Production.LocalFunction] = 0.04,
        [Production.PatternSwitch] = 0.03,
        [Production.SwitchExpression] = 0.05,
        [Production.IsPattern] = 0.05,
        [Production.Guard] = 0.05,
        [Production.ParameterWrite] = 0.05,
        [Production.ParameterArrayWrite] = 0.01,
        [Production.TwoDimensionalParameter] = 0.04,
        [Production.JaggedParameter] = 0.025,
        [Production.Range] = 0.025,
        [Production.RecursiveLocalFunction] = 0.04,
        [Production.LocalTwoDimensionalArray] = 0.04,
        [Production.ResultCall] = 0.04,
        [Production.LocalJaggedArray] = 0.025,
        [Production.Spread] = 0.025,
        [Production.MutualRecursion] = 0.025,
        [Production.GridLiteral] = 0.04,
        [Production.RaggedLiteral] = 0.04,
        [Production.LiteralInLoop] = 0.03,
        [Production.SpreadArgument] = 0.015,
        [Production.CollectionArgument] = 0.03,
        [Production.WithExpression] = 0.04,
        [Production.PropertyPattern] = 0.02,
        [Production.LocalStructArray] = 0.02,
        [Production.ScratchArray] = 0.015,
        [Production.UserOperator] = 0.03,
        [Production.RaggedRowLoop] = 0.03,
        [Production.RangeSpread] = 0.01,
        [Production.RangeSpreadInLoop] = 0.003,
        [Production.RowElementForeach] = 0.01,
        [Production.GridForeach] = 0.01,
        [Production.RowSpread] = 0.01,
        [Production.RaggedRowShapes] = 0.01,
        [Production.RaggedRowBranches] = 0.005,
        [Production.RaggedRowWhile] = 0.01,
        [Production.GridArgument] = 0.02,
        [Production.JaggedArgument] = 0.012,
        [Production.CallSpread] = 0.015,
        [Production.OffsetLoop] = 0.03,
        [Production.NextStartLoop] = 0.01,
        [Production.ResultCallIntoArray] = 0.01,
        [Production.LogisticCall] = 0.02,
        [Production.InArgumentCall] = 0.02,
        [Production.SingleInputCall] = 0.02,
        [Production.PairedCall] = 0.01,
        [Production.LogQuotient] = 0.02,
        [Production.SteppedRow] = 0.02,
        [Production.MlpRow] = 0.02,
        [Production.MlpRowTail] = 0.02,
        [Production.TriangleRows] = 0.02,
        [Production.TriangleRowsLong] = 0.01,
        [Production.TriangleRowsJammed] = 0.015,
        [Production.InnerReduction] = 0.03,
        [Production.SlottedRow] = 0.03,
        [Production.IterationStack] = 0.03,
        [Production.LoopCondition] = 0.05,
        [Production.CountedCall] = 0.03,
        [Production.InterchangedRows] = 0.01,
        [Production.InterchangedRowsAtGuard] = 0.005,
        [Production.InterchangedRowSpans] = 0.002,
        [Production.NeighbourReads] = 0.03,
        [Production.CarriedNeighbours] = 0.02,
        [Production.KeptFactor] = 0.05,
        [Production.SlottedCell] = 0.03,
        [Production.PowerProduct] = 0.05,
    };

    /// <summary>Each recorded production's share of the programs whose <see cref="RandomProgram.Uses"/> are given.</summary>
    public static string Describe(IReadOnlyCollection<IReadOnlyCollection<Production>> uses) => string.Join(", ", Minimum.Keys.Select(p =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p} {uses.Count(u => u.Contains(p)) / (double)Math.Max(1, uses.Count):P1}")));
}
