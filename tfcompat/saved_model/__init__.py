"""``tf.saved_model`` (TF 1.x): SavedModelBuilder, simple_save, loader.load, SignatureDef
helpers and the constants, writing and reading TF's on-disk format (saved_model.pb +
variables/ + assets/), so SavedModels travel between tfcompat and TensorFlow."""
from tfcompat.saved_model import (builder, constants, loader, main_op,  # noqa: F401
                                  signature_constants, signature_def_utils, tag_constants, utils)
from tfcompat.saved_model.builder import SavedModelBuilder as Builder  # noqa: F401
from tfcompat.saved_model.constants import (ASSETS_DIRECTORY, ASSETS_KEY,  # noqa: F401
                                            LEGACY_INIT_OP_KEY, MAIN_OP_KEY,
                                            SAVED_MODEL_FILENAME_PB, SAVED_MODEL_FILENAME_PBTXT,
                                            SAVED_MODEL_SCHEMA_VERSION, VARIABLES_DIRECTORY,
                                            VARIABLES_FILENAME)
from tfcompat.saved_model.loader import load  # noqa: F401
from tfcompat.saved_model.loader import maybe_saved_model_directory  # noqa: F401
from tfcompat.saved_model.loader import \
    maybe_saved_model_directory as contains_saved_model  # noqa: F401
from tfcompat.saved_model.main_op import main_op_with_restore  # noqa: F401
from tfcompat.saved_model.signature_constants import (  # noqa: F401
    CLASSIFY_INPUTS, CLASSIFY_METHOD_NAME, CLASSIFY_OUTPUT_CLASSES, CLASSIFY_OUTPUT_SCORES,
    DEFAULT_SERVING_SIGNATURE_DEF_KEY, PREDICT_INPUTS, PREDICT_METHOD_NAME, PREDICT_OUTPUTS,
    REGRESS_INPUTS, REGRESS_METHOD_NAME, REGRESS_OUTPUTS)
from tfcompat.saved_model.signature_def_utils import (  # noqa: F401
    build_signature_def, classification_signature_def, is_valid_signature,
    predict_signature_def, regression_signature_def)
from tfcompat.saved_model.simple_save import simple_save  # noqa: F401
from tfcompat.saved_model.tag_constants import GPU, SERVING, TPU, TRAINING  # noqa: F401
from tfcompat.saved_model.utils import (build_tensor_info,  # noqa: F401
                                        get_tensor_from_tensor_info)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.saved_model' has no attribute '{name}': "
                         f"tfcompat does not implement tf.saved_model.{name} yet")
