"""``tf.saved_model.simple_save``: a SavedModel for serving in one call."""
from tfcompat.framework import ops
from tfcompat.saved_model import signature_constants, tag_constants
from tfcompat.saved_model.builder import SavedModelBuilder
from tfcompat.saved_model.signature_def_utils import predict_signature_def


def simple_save(session, export_dir, inputs, outputs, legacy_init_op=None):
    """Saves the session's graph and variables as a SavedModel tagged "serve" with one
    Predict signature, "serving_default", of ``inputs`` and ``outputs`` ({key: Tensor});
    devices are cleared and the ASSET_FILEPATHS collection's files become its assets."""
    signature_def_map = {signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY:
                         predict_signature_def(inputs, outputs)}
    builder = SavedModelBuilder(export_dir)
    builder.add_meta_graph_and_variables(
        session, tags=[tag_constants.SERVING], signature_def_map=signature_def_map,
        assets_collection=ops.get_collection(ops.GraphKeys.ASSET_FILEPATHS),
        main_op=legacy_init_op, clear_devices=True)
    builder.save()
