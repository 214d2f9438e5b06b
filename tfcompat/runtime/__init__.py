"""Execution: prune -> plan -> (fuse) -> codegen -> run. The only package that touches
kernels' arrays; op semantics come from the op registry (``tfcompat.framework.op_def``)."""
