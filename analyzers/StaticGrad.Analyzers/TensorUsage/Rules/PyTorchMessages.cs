namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>PyTorch's run-time texts (SPEC's message catalogue, torch 2.11) that the diagnostics quote, so users can search for them.</summary>
internal static class PyTorchMessages
{
    public const string LeafOnly = "you can only change requires_grad flags of leaf variables.";
    public const string LeafOnlyWithHint = "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().";
    public const string OnlyFloatingFactory = "Only Tensors of floating point and complex dtype can require gradients";
    public const string OnlyFloatingSetter = "only Tensors of floating point and complex dtype can require gradients";
    public const string OnlyFloatingMethod = "only Tensors of floating point dtype can require gradients";
    public const string NoGradFn = "element 0 of tensors does not require grad and does not have a grad_fn";
    public const string ImplicitNonScalar = "grad can be implicitly created only for scalar outputs";
    public const string BackwardTwice = "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";
    public const string NonLeafGrad = "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor.";
    public const string RetainGradWithoutGrad = "can't retain_grad on Tensor that has requires_grad=False";
    public const string InPlaceOnLeaf = "a leaf Variable that requires grad is being used in an in-place operation.";
    public const string InPlaceOnViewOfLeaf = "a view of a leaf Variable that requires grad is being used in an in-place operation.";
    public const string DetachViewInPlace = "Can't detach views in-place. Use detach() instead.";
    public const string InputWithoutGrad = "One of the differentiated Tensors does not require grad";
    public const string InferenceRequiresGrad = "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.";
    public const string InferenceInPlace = "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.";
    public const string InferenceSaved = "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`.";
    public const string InferenceVersion = "Inference tensors do not track version counter.";
    public const string OptimizerNonLeaf = "can't optimize a non-leaf Tensor";
}
