"""Op definitions, one class per TF op type, grouped by family like tensorflow/python/ops."""
import importlib
import pkgutil

from tfcompat.framework import op_def


def _import_all_op_modules():
    """Imports every family, so that the registry knows every op type."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


op_def.register_loader(_import_all_op_modules)
