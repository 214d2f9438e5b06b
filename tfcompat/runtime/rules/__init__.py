"""Lowering rule modules, one per op family (see ``tfcompat.runtime.lowering``)."""
