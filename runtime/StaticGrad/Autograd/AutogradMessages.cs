using System.Globalization;

namespace StaticGrad;

/// <summary>
/// PyTorch 2.11's exact error and warning texts (message catalogue of the specification), so that a user can search
/// for them. Numbered comments refer to the catalogue ids.
/// </summary>
public static class AutogradMessages
{
    /// <summary>M1: setting <c>RequiresGrad = true</c> on a non-leaf.</summary>
    public const string RequiresGradNonLeaf = "you can only change requires_grad flags of leaf variables.";

    /// <summary>M2: setting <c>RequiresGrad = false</c> (or <c>SetRequiresGrad(false)</c>) on a non-leaf.</summary>
    public const string RequiresGradNonLeafWithHint = "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().";

    /// <summary>M3: a factory or parameter asked to require grad on a non-floating dtype.</summary>
    public const string OnlyFloatingCanRequireGradFactory = "Only Tensors of floating point and complex dtype can require gradients";

    /// <summary>M4: the <c>RequiresGrad</c> setter on a non-floating dtype.</summary>
    public const string OnlyFloatingCanRequireGradSetter = "only Tensors of floating point and complex dtype can require gradients";

    /// <summary>M5: <c>SetRequiresGrad(true)</c> on a non-floating dtype.</summary>
    public const string OnlyFloatingCanRequireGradMethod = "only Tensors of floating point dtype can require gradients";

    /// <summary>M8: implicit gradient for an output with more than one element.</summary>
    public const string ImplicitGradNonScalar = "grad can be implicitly created only for scalar outputs";

    /// <summary>M13: a saved tensor was freed by an earlier backward.</summary>
    public const string BackwardTwice = "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

    /// <summary>M14: reading <c>Grad</c> of a non-leaf that does not retain its gradient (a warning).</summary>
    public const string NonLeafGradAccess = "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information.";

    /// <summary>M15: <c>RetainGrad()</c> on a tensor that does not require grad.</summary>
    public const string RetainGradWithoutGrad = "can't retain_grad on Tensor that has requires_grad=False";

    /// <summary>M18: in-place operation on a leaf that requires grad, in grad mode.</summary>
    public const string InPlaceOnLeaf = "a leaf Variable that requires grad is being used in an in-place operation.";

    /// <summary>M19: in-place operation on a view of a leaf that requires grad, in grad mode.</summary>
    public const string InPlaceOnViewOfLeaf = "a view of a leaf Variable that requires grad is being used in an in-place operation.";

    /// <summary>M20: <c>DetachInPlace()</c> on a view.</summary>
    public const string DetachViewInPlace = "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.";

    /// <summary>M21: a saved non-leaf input was detached in place.</summary>
    public const string SavedTensorDetachedInPlace = "Trying to use a saved tensor that has been detached in-place, i.e. with .detach_().This is not supported, please use out-of-place `.detach()` instead";

    /// <summary>M22: leaving autograd with a tensor that requires grad (PyTorch's <c>numpy()</c>).</summary>
    public const string NumpyRequiresGrad = "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.";

    /// <summary>M23: requiring grad on an inference tensor outside inference mode.</summary>
    public const string InferenceRequiresGrad = "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.";

    /// <summary>M24: in-place update of an inference tensor outside inference mode.</summary>
    public const string InferenceInPlace = "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.";

    /// <summary>M25: an inference tensor would be saved for backward.</summary>
    public const string InferenceSaved = "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`.";

    /// <summary>M26: reading the version of an inference tensor.</summary>
    public const string InferenceNoVersionCounter = "Inference tensors do not track version counter.";

    /// <summary>M34: <c>Autograd.Grad</c> with an input the outputs do not depend on.</summary>
    public const string UnusedInput = "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.";

    /// <summary>M35: <c>Autograd.Grad</c> with an input that does not require grad.</summary>
    public const string InputDoesNotRequireGrad = "One of the differentiated Tensors does not require grad";

    /// <summary>M36: <c>Backward(createGraph: true)</c> (a one-time warning).</summary>
    public const string CreateGraphWarning = "Using backward() with create_graph=True will create a reference cycle between the parameter and its gradient which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid this. If you have to use this function, make sure to reset the .grad fields of your parameters to None after use to break the cycle and avoid the leak.";

    /// <summary>The hint appended to the in-place modification error (M16) when anomaly detection is off.</summary>
    public const string InPlaceHint = "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).";

    /// <summary>The hint appended to the in-place modification error (M17) when anomaly detection is on.</summary>
    public const string InPlaceHintAnomaly = "Hint: the backtrace further above shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!";

    /// <summary>M10: root <paramref name="index"/> of a backward call has no graph.</summary>
    /// <param name="index">The index of the root among the tensors passed to backward.</param>
    /// <returns>The message.</returns>
    public static string ElementDoesNotRequireGrad(int index) => string.Create(CultureInfo.InvariantCulture,
        $"element {index} of tensors does not require grad and does not have a grad_fn");

    /// <summary>M11: the gradient given for output <paramref name="index"/> has another shape.</summary>
    /// <param name="index">The output index.</param>
    /// <param name="gradShape">The gradient's shape.</param>
    /// <param name="outputShape">The output's shape.</param>
    /// <returns>The message.</returns>
    public static string GradShapeMismatch(int index, int[] gradShape, int[] outputShape) => string.Create(CultureInfo.InvariantCulture,
        $"Mismatch in shape: grad_output[{index}] has a shape of {ShapeUtil.TorchSize(gradShape)} and output[{index}] has a shape of {ShapeUtil.TorchSize(outputShape)}.");

    /// <summary>M16/M17: a tensor saved for backward was modified in place.</summary>
    /// <param name="dtype">The saved tensor's dtype.</param>
    /// <param name="shape">The saved tensor's shape.</param>
    /// <param name="producer">The node that produced the saved tensor, or null for a leaf.</param>
    /// <param name="current">The version now.</param>
    /// <param name="expected">The version when it was saved.</param>
    /// <param name="anomaly">Whether anomaly detection is on.</param>
    /// <returns>The message.</returns>
    public static string ModifiedByInPlace(DType dtype, int[] shape, string? producer, int current, int expected, bool anomaly) =>
        string.Create(CultureInfo.InvariantCulture,
            $"one of the variables needed for gradient computation has been modified by an inplace operation: [{dtype.LegacyTypeName()} {ShapeUtil.Bracketed(shape)}]{(producer is null ? "" : ", which is output 0 of " + producer + ",")} is at version {current}; expected version {expected} instead. {(anomaly ? InPlaceHintAnomaly : InPlaceHint)}");

    /// <summary>M38: assigning a gradient of another size to <c>Grad</c>.</summary>
    /// <param name="gradShape">The gradient's shape.</param>
    /// <param name="tensorShape">The tensor's shape.</param>
    /// <returns>The message.</returns>
    public static string GradAssignSize(int[] gradShape, int[] tensorShape) => string.Create(CultureInfo.InvariantCulture,
        $"attempting to assign a gradient of size '{ShapeUtil.Bracketed(gradShape)}' to a tensor of size '{ShapeUtil.Bracketed(tensorShape)}'. Please ensure that the gradient and the tensor are the same size");

    /// <summary>Assigning a gradient of another dtype to <c>Grad</c>.</summary>
    /// <param name="gradDType">The gradient's dtype.</param>
    /// <param name="tensorDType">The tensor's dtype.</param>
    /// <returns>The message.</returns>
    public static string GradAssignDType(DType gradDType, DType tensorDType) =>
        $"attempting to assign a gradient with dtype '{gradDType.TypeMetaName()}' to a tensor with grad_dtype '{tensorDType.ScalarTypeName()}'. The gradient must match the tensor's grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its gradient may break downstream systems that assume they match.";

    /// <summary>M39: the warning anomaly detection issues when a backward node fails.</summary>
    /// <param name="nodeName">The failing node.</param>
    /// <returns>The message.</returns>
    public static string AnomalyDetected(string nodeName) => $"Error detected in {nodeName}. Traceback of forward call that caused the error:";
}
