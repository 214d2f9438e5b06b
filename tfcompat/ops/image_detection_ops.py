"""TF's object-detection image ops: non-max suppression, ``crop_and_resize`` with its two
gradients, ``draw_bounding_boxes``, ``sample_distorted_bounding_box`` and
``resize_image_with_pad``.

Boxes are ``[y1, x1, y2, x2]`` in coordinates normalised to the image (TF's convention).
The kernels follow TF's C++ ones: greedy suppression in score order (ties: lower index
first) with IoU computed on corner-sorted boxes; crop_and_resize samples at
``y1 * (H - 1) + i * (y2 - y1) * (H - 1) / (crop_h - 1)`` in float32 with an extrapolation
value outside the image.
"""
import numpy as np

from tfcompat.framework import dtypes, ops, random_seed, tensor_shape
from tfcompat.framework.op_def import (OpDef, constant_value, make_op, make_tensor,
                                       register_op)
from tfcompat.ops import array_ops, math_ops
from tfcompat.ops.array_ops import _invalid, _shape_text
from tfcompat.ops.image_ops import ResizeMethod, pad_to_bounding_box, resize_images

__all__ = ["non_max_suppression", "non_max_suppression_overlaps",
           "combined_non_max_suppression",
           "non_max_suppression_padded", "crop_and_resize", "draw_bounding_boxes",
           "sample_distorted_bounding_box", "resize_image_with_pad"]


def _rank_error(op, tensor, rank):
    return ValueError(f"Shape must be rank {rank} but is rank {tensor.shape.ndims} for "
                      f"'{op.name}' (op: '{op.type}')")


def _require_rank(op, tensor, rank):
    if tensor.shape.ndims is not None and tensor.shape.ndims != rank:
        raise _rank_error(op, tensor, rank)


# ---- non-max suppression -------------------------------------------------------------------
def _iou_with(boxes, index, others):
    """IoU of box ``index`` with the boxes ``others`` (TF: 0 where an area is not positive)."""
    y_lo = np.minimum(boxes[:, 0], boxes[:, 2])
    y_hi = np.maximum(boxes[:, 0], boxes[:, 2])
    x_lo = np.minimum(boxes[:, 1], boxes[:, 3])
    x_hi = np.maximum(boxes[:, 1], boxes[:, 3])
    area = (y_hi - y_lo) * (x_hi - x_lo)
    height = np.maximum(np.minimum(y_hi[index], y_hi[others])
                        - np.maximum(y_lo[index], y_lo[others]), 0)
    width = np.maximum(np.minimum(x_hi[index], x_hi[others])
                       - np.maximum(x_lo[index], x_lo[others]), 0)
    inter = height * width
    union = area[index] + area[others] - inter
    positive = (area[index] > 0) & (area[others] > 0)
    return np.where(positive, inter / np.where(positive, union, 1), 0)


def _greedy_select(scores, max_output, threshold, score_threshold, similarity):
    """Indices kept by TF's greedy suppression: candidates in decreasing score (ties: lower
    index first) above ``score_threshold``, dropped when ``similarity(i, selected)`` of any
    already selected box exceeds ``threshold``."""
    order = np.argsort(-scores, kind="stable")
    selected = []
    for index in order:
        if len(selected) >= max_output or not scores[index] > score_threshold:
            break
        if selected and np.any(similarity(index, np.array(selected)) > threshold):
            continue
        selected.append(int(index))
    return np.array(selected, dtype=np.int32)


class _NonMaxSuppression(OpDef):
    """Shared shapes and checks; subclasses say how similarity is measured."""

    differentiable = False
    dynamic_output_shape = True
    uses_overlaps = False
    padded = False

    def infer(self, op):
        first, scores, max_output = op.inputs[:3]
        _require_rank(op, first, 2)
        _require_rank(op, scores, 1)
        _require_rank(op, max_output, 0)
        for threshold in op.inputs[3:]:
            _require_rank(op, threshold, 0)
        if not self.uses_overlaps and first.shape.ndims == 2:
            first.shape[1:].assert_is_compatible_with([4])
        size = None
        if self.padded and op.attrs.get("pad_to_max_output_size"):
            known = constant_value(max_output)
            size = None if known is None else int(known)
        outputs = [(tensor_shape.TensorShape([size]), dtypes.int32)]
        if self.padded:
            outputs.append((tensor_shape.TensorShape([]), dtypes.int32))
        return outputs

    def kernel(self, op, ctx):
        pad = bool(op.attrs.get("pad_to_max_output_size", False))
        name = "overlap_threshold" if self.uses_overlaps else "iou_threshold"

        def suppress(first, scores, max_output, threshold=0.5, score_threshold=-np.inf):
            if np.ndim(max_output) != 0:
                raise _invalid(op, "max_output_size must be 0-D, got shape "
                               f"{_shape_text(np.shape(max_output))}")
            if not self.uses_overlaps and not 0 <= threshold <= 1:
                raise _invalid(op, f"{name} must be in [0, 1]")
            if first.shape[0] != scores.shape[0]:
                raise _invalid(op, "scores has incompatible shape")
            if self.uses_overlaps:
                def similarity(i, chosen):
                    return first[i, chosen]
            else:
                boxes = first.astype(np.float32)

                def similarity(i, chosen):
                    return _iou_with(boxes, i, chosen)
            kept = _greedy_select(scores, int(max_output), threshold, score_threshold,
                                  similarity)
            if not self.padded:
                return kept
            count = np.int32(kept.size)
            if pad:
                kept = np.concatenate([kept, np.zeros(int(max_output) - kept.size, np.int32)])
            return kept, count
        return suppress


@register_op
class NonMaxSuppression(_NonMaxSuppression):
    """TF's first form: the IoU threshold is an attribute."""

    def kernel(self, op, ctx):
        suppress = super().kernel(op, ctx)
        threshold = op.attrs.get("iou_threshold", 0.5)
        return lambda boxes, scores, max_output: suppress(boxes, scores, max_output, threshold)


@register_op
class NonMaxSuppressionV2(_NonMaxSuppression):
    """Boxes, scores, max_output_size, iou_threshold."""


@register_op
class NonMaxSuppressionV3(_NonMaxSuppression):
    """V2 plus score_threshold (``tf.image.non_max_suppression``)."""


@register_op
class NonMaxSuppressionV4(_NonMaxSuppression):
    """V3 with (selected_indices, valid_outputs), optionally padded with zeros to
    max_output_size (``tf.image.non_max_suppression_padded``)."""

    padded = True


@register_op
class NonMaxSuppressionWithOverlaps(_NonMaxSuppression):
    """Suppression by a precomputed overlap matrix (``non_max_suppression_overlaps``)."""

    uses_overlaps = True


def _suppression_inputs(boxes, scores, max_output_size, thresholds):
    boxes = ops.convert_to_tensor(boxes, name="boxes")
    scores = ops.convert_to_tensor(scores, dtype=boxes.dtype.base_dtype, name="scores")
    max_output_size = ops.convert_to_tensor(max_output_size, dtype=dtypes.int32,
                                            name="max_output_size")
    thresholds = [ops.convert_to_tensor(t, dtype=dtypes.float32, name=n)
                  for n, t in thresholds]
    return [boxes, scores, max_output_size] + thresholds


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5,
                        score_threshold=float("-inf"), name=None):
    """``tf.image.non_max_suppression``: indices of the boxes kept by greedy suppression."""
    with ops.name_scope(name, "non_max_suppression"):
        inputs = _suppression_inputs(boxes, scores, max_output_size,
                                     [("iou_threshold", iou_threshold),
                                      ("score_threshold", score_threshold)])
        return make_tensor("NonMaxSuppressionV3", inputs, {"T": inputs[0].dtype.base_dtype},
                           name="NonMaxSuppressionV3")


def non_max_suppression_padded(boxes, scores, max_output_size, iou_threshold=0.5,
                               score_threshold=float("-inf"), pad_to_max_output_size=False,
                               name=None):
    """``tf.image.non_max_suppression_padded`` -> (selected_indices, valid_outputs)."""
    with ops.name_scope(name, "non_max_suppression_padded"):
        inputs = _suppression_inputs(boxes, scores, max_output_size,
                                     [("iou_threshold", iou_threshold),
                                      ("score_threshold", score_threshold)])
        op = make_op("NonMaxSuppressionV4", inputs,
                     {"T": inputs[0].dtype.base_dtype,
                      "pad_to_max_output_size": bool(pad_to_max_output_size)},
                     name="NonMaxSuppressionV4")
        return op.outputs[0], op.outputs[1]


def non_max_suppression_overlaps(overlaps, scores, max_output_size, overlap_threshold=0.5,
                                 score_threshold=float("-inf"), name=None):
    """``tf.image.non_max_suppression_overlaps``: suppression by ``overlaps[i, j]``."""
    with ops.name_scope(name, "non_max_suppression_overlaps"):
        inputs = _suppression_inputs(overlaps, scores, max_output_size,
                                     [("overlap_threshold", overlap_threshold),
                                      ("score_threshold", score_threshold)])
        return make_tensor("NonMaxSuppressionWithOverlaps", inputs,
                           name="NonMaxSuppressionWithOverlaps")


def _class_detections(boxes, scores, per_class, iou_threshold, score_threshold):
    """(-score, class, box) of the boxes each class keeps for one image."""
    found = []
    for c in range(scores.shape[1]):
        class_boxes = boxes[:, c if boxes.shape[1] > 1 else 0].astype(np.float32)
        kept = _greedy_select(scores[:, c], per_class, iou_threshold, score_threshold,
                              lambda i, chosen, known=class_boxes: _iou_with(known, i, chosen))
        found += [(-scores[i, c], c, class_boxes[i]) for i in kept]
    return found


@register_op
class CombinedNonMaxSuppression(OpDef):
    """Per-class greedy suppression for a batch, then the best ``max_total_size`` boxes
    over all classes (``tf.image.combined_non_max_suppression``)."""

    differentiable = False
    shape_determining_inputs = (2, 3)

    def infer(self, op):
        boxes, scores, _, total = op.inputs[:4]
        _require_rank(op, boxes, 4)
        _require_rank(op, scores, 3)
        batch = boxes.shape[0] if boxes.shape.ndims == 4 else None
        size = constant_value(total)
        per_class = constant_value(op.inputs[2])
        classes = scores.shape[2].value if scores.shape.ndims == 3 else None
        if size is not None and op.attrs.get("pad_per_class"):
            size = (None if per_class is None or classes is None
                    else min(int(per_class) * classes, int(size)))
        size = None if size is None else int(size)
        return [(tensor_shape.TensorShape([batch, size, 4]), dtypes.float32),
                (tensor_shape.TensorShape([batch, size]), dtypes.float32),
                (tensor_shape.TensorShape([batch, size]), dtypes.float32),
                (tensor_shape.TensorShape([batch]), dtypes.int32)]

    def kernel(self, op, ctx):
        pad_per_class = bool(op.attrs.get("pad_per_class", False))
        clip = bool(op.attrs.get("clip_boxes", True))

        def combined(boxes, scores, per_class, total, iou_threshold, score_threshold):
            if not 0 <= iou_threshold <= 1:
                raise _invalid(op, "iou_threshold must be in [0, 1]")
            batch, _, classes = scores.shape
            size = min(int(per_class) * classes, int(total)) if pad_per_class else int(total)
            out_boxes = np.zeros((batch, size, 4), np.float32)
            out_scores = np.zeros((batch, size), np.float32)
            out_classes = np.zeros((batch, size), np.float32)
            valid = np.zeros(batch, np.int32)
            for b in range(batch):
                found = _class_detections(boxes[b], scores[b], int(per_class), iou_threshold,
                                          score_threshold)
                found.sort(key=lambda item: item[0])
                found = found[:size]
                valid[b] = len(found)
                for row, (negative, c, box) in enumerate(found):
                    out_boxes[b, row] = np.clip(box, 0, 1) if clip else box
                    out_scores[b, row], out_classes[b, row] = -negative, c
            return out_boxes, out_scores, out_classes, valid
        return combined


def combined_non_max_suppression(boxes, scores, max_output_size_per_class, max_total_size,
                                 iou_threshold=0.5, score_threshold=float("-inf"),
                                 pad_per_class=False, clip_boxes=True, name=None):
    """``tf.image.combined_non_max_suppression`` -> (nmsed_boxes, nmsed_scores,
    nmsed_classes, valid_detections): boxes [batch, num_boxes, q, 4] (q = 1 shares the
    boxes among classes), scores [batch, num_boxes, num_classes]."""
    with ops.name_scope(name, "combined_non_max_suppression"):
        boxes = ops.convert_to_tensor(boxes, dtype=dtypes.float32, name="boxes")
        scores = ops.convert_to_tensor(scores, dtype=dtypes.float32, name="scores")
        per_class = ops.convert_to_tensor(max_output_size_per_class, dtype=dtypes.int32,
                                          name="max_output_size_per_class")
        total = ops.convert_to_tensor(max_total_size, dtype=dtypes.int32,
                                      name="max_total_size")
        thresholds = [ops.convert_to_tensor(iou_threshold, dtype=dtypes.float32,
                                            name="iou_threshold"),
                      ops.convert_to_tensor(score_threshold, dtype=dtypes.float32,
                                            name="score_threshold")]
        op = make_op("CombinedNonMaxSuppression", [boxes, scores, per_class, total] + thresholds,
                     {"pad_per_class": bool(pad_per_class), "clip_boxes": bool(clip_boxes)},
                     name="CombinedNonMaxSuppression")
        return tuple(op.outputs)


# ---- crop_and_resize -----------------------------------------------------------------------
def _sample_points(start, end, count, size):
    """TF's sampling positions along one axis for each box (float32), for ``count`` points
    over an image axis of ``size``."""
    start = start.astype(np.float32)[:, None]
    end = end.astype(np.float32)[:, None]
    last = np.float32(size - 1)
    steps = np.arange(count, dtype=np.float32)[None, :]
    if count > 1:
        scale = (end - start) * last / np.float32(count - 1)
        return start * last + steps * scale
    return np.broadcast_to(np.float32(0.5) * (start + end) * last, (start.shape[0], 1))


class _CropGeometry:
    """Where each crop pixel samples the image: indices, interpolation weights, validity."""

    def __init__(self, boxes, crop_h, crop_w, height, width):
        self.y = _sample_points(boxes[:, 0], boxes[:, 2], crop_h, height)
        self.x = _sample_points(boxes[:, 1], boxes[:, 3], crop_w, width)
        self.valid_y = (self.y >= 0) & (self.y <= height - 1)
        self.valid_x = (self.x >= 0) & (self.x <= width - 1)
        self.top = np.clip(np.floor(self.y), 0, height - 1).astype(np.int64)
        self.bottom = np.clip(np.ceil(self.y), 0, height - 1).astype(np.int64)
        self.left = np.clip(np.floor(self.x), 0, width - 1).astype(np.int64)
        self.right = np.clip(np.ceil(self.x), 0, width - 1).astype(np.int64)
        self.y_lerp = (self.y - np.floor(self.y)).astype(np.float32)
        self.x_lerp = (self.x - np.floor(self.x)).astype(np.float32)
        # roundf: halves away from zero
        self.nearest_y = np.clip(np.sign(self.y) * np.floor(np.abs(self.y) + 0.5), 0,
                                 height - 1).astype(np.int64)
        self.nearest_x = np.clip(np.sign(self.x) * np.floor(np.abs(self.x) + 0.5), 0,
                                 width - 1).astype(np.int64)

    def mask(self):
        return self.valid_y[:, :, None] & self.valid_x[:, None, :]


def _check_crop_inputs(op, image_shape, boxes, box_ind, crop_size=None):
    if len(image_shape) != 4:
        raise _invalid(op, f"input image must be 4-D{_shape_text(image_shape)}")
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise _invalid(op, f"boxes must be 2-D{_shape_text(boxes.shape)}")
    if box_ind.shape != (boxes.shape[0],):
        raise _invalid(op, "box_index has incompatible shape")
    if box_ind.size and (box_ind.min() < 0 or box_ind.max() >= image_shape[0]):
        raise _invalid(op, "box_index has values outside [0, batch_size)")
    if crop_size is not None:
        if np.shape(crop_size) != (2,):
            raise _invalid(op, "crop_size must be a length-2 vector")
        if crop_size[0] <= 0 or crop_size[1] <= 0:
            raise _invalid(op, "crop dimensions must be positive")


@register_op
class CropAndResize(OpDef):
    """Crops of ``image`` at ``boxes`` resized to ``crop_size`` by bilinear or nearest
    sampling, as float32 (``tf.image.crop_and_resize``)."""

    shape_determining_inputs = (3,)

    def infer(self, op):
        image, boxes, box_ind, crop_size = op.inputs
        _require_rank(op, image, 4)
        _require_rank(op, boxes, 2)
        _require_rank(op, box_ind, 1)
        size = constant_value(crop_size)
        crop = [None, None] if size is None else [int(v) for v in size]
        depth = image.shape[3] if image.shape.ndims == 4 else None
        return [(tensor_shape.TensorShape([boxes.shape[0] if boxes.shape.ndims else None]
                                          + crop + [depth]), dtypes.float32)]

    def kernel(self, op, ctx):
        method = op.attrs.get("method", "bilinear")
        extrapolation = np.float32(op.attrs.get("extrapolation_value", 0.0))

        def crop_and_resize(image, boxes, box_ind, crop_size):
            _check_crop_inputs(op, image.shape, boxes, box_ind, crop_size)
            _, height, width, _ = image.shape
            geometry = _CropGeometry(boxes, int(crop_size[0]), int(crop_size[1]), height, width)
            image = image.astype(np.float32)
            batch = box_ind[:, None, None]
            if method == "nearest":
                crops = image[batch, geometry.nearest_y[:, :, None],
                              geometry.nearest_x[:, None, :]]
            else:
                top, bottom = geometry.top[:, :, None], geometry.bottom[:, :, None]
                left, right = geometry.left[:, None, :], geometry.right[:, None, :]
                x_lerp = geometry.x_lerp[:, None, :, None]
                y_lerp = geometry.y_lerp[:, :, None, None]
                upper = image[batch, top, left] + (image[batch, top, right]
                                                   - image[batch, top, left]) * x_lerp
                lower = image[batch, bottom, left] + (image[batch, bottom, right]
                                                      - image[batch, bottom, left]) * x_lerp
                crops = upper + (lower - upper) * y_lerp
            return np.where(geometry.mask()[..., None], crops, extrapolation).astype(np.float32)
        return crop_and_resize

    def grad(self, op, dy):
        image, boxes, box_ind, _ = op.inputs
        image_dtype = image.dtype.base_dtype
        d_image = None
        if image_dtype in (dtypes.float16, dtypes.float32, dtypes.float64):
            if image.shape.is_fully_defined():
                image_size = ops.convert_to_tensor(image.shape.as_list(), dtype=dtypes.int32)
            else:
                image_size = array_ops.shape(image)
            d_image = make_tensor("CropAndResizeGradImage", [dy, boxes, box_ind, image_size],
                                  {"T": image_dtype, "method": op.attrs.get("method",
                                                                            "bilinear")})
        d_boxes = make_tensor("CropAndResizeGradBoxes", [dy, image, boxes, box_ind],
                              {"T": image_dtype, "method": "bilinear"})
        return [d_image, d_boxes, None, None]


@register_op
class CropAndResizeGradImage(OpDef):
    """The gradient of CropAndResize with respect to the image: each crop pixel's gradient
    scattered onto the pixels it sampled, with its interpolation weights."""

    differentiable = False
    shape_determining_inputs = (3,)

    def infer(self, op):
        size = constant_value(op.inputs[3])
        shape = tensor_shape.TensorShape(None if size is None else [int(v) for v in size])
        return [(shape if size is not None else tensor_shape.unknown_shape(4), op.attrs["T"])]

    def kernel(self, op, ctx):
        method = op.attrs.get("method", "bilinear")
        dtype = op.attrs["T"].as_numpy_dtype

        def grad_image(grads, boxes, box_ind, image_size):
            image_size = [int(v) for v in image_size]
            _check_crop_inputs(op, image_size, boxes, box_ind)
            _, height, width, depth = image_size
            _, crop_h, crop_w, _ = grads.shape
            geometry = _CropGeometry(boxes, crop_h, crop_w, height, width)
            grads = np.where(geometry.mask()[..., None], grads, 0).astype(np.float32)
            out = np.zeros(image_size, np.float32)
            batch = np.broadcast_to(box_ind[:, None, None], grads.shape[:3])
            if method == "nearest":
                rows = np.broadcast_to(geometry.nearest_y[:, :, None], grads.shape[:3])
                cols = np.broadcast_to(geometry.nearest_x[:, None, :], grads.shape[:3])
                np.add.at(out, (batch, rows, cols), grads)
                return out.astype(dtype)
            y_lerp = geometry.y_lerp[:, :, None, None]
            x_lerp = geometry.x_lerp[:, None, :, None]
            for rows, row_weight in ((geometry.top, 1 - y_lerp), (geometry.bottom, y_lerp)):
                for cols, col_weight in ((geometry.left, 1 - x_lerp),
                                         (geometry.right, x_lerp)):
                    np.add.at(out, (batch, np.broadcast_to(rows[:, :, None], batch.shape),
                                    np.broadcast_to(cols[:, None, :], batch.shape)),
                              grads * row_weight * col_weight)
            return out.astype(dtype)
        return grad_image


@register_op
class CropAndResizeGradBoxes(OpDef):
    """The gradient of bilinear CropAndResize with respect to the boxes (TF's formula: the
    image's slope along each axis times how the sample point moves with each corner)."""

    differentiable = False

    def infer(self, op):
        boxes = op.inputs[2]
        return [(tensor_shape.TensorShape([boxes.shape[0] if boxes.shape.ndims else None, 4]),
                 dtypes.float32)]

    def kernel(self, op, ctx):
        def grad_boxes(grads, image, boxes, box_ind):
            _check_crop_inputs(op, image.shape, boxes, box_ind)
            _, height, width, _ = image.shape
            count, crop_h, crop_w, _ = grads.shape
            geometry = _CropGeometry(boxes, crop_h, crop_w, height, width)
            image = image.astype(np.float32)
            batch = box_ind[:, None, None]
            top, bottom = geometry.top[:, :, None], geometry.bottom[:, :, None]
            left, right = geometry.left[:, None, :], geometry.right[:, None, :]
            x_lerp = geometry.x_lerp[:, None, :, None]
            y_lerp = geometry.y_lerp[:, :, None, None]
            top_left, top_right = image[batch, top, left], image[batch, top, right]
            bottom_left, bottom_right = image[batch, bottom, left], image[batch, bottom, right]
            slope_y = (1 - x_lerp) * (bottom_left - top_left) + x_lerp * (bottom_right
                                                                        - top_right)
            slope_x = (1 - y_lerp) * (top_right - top_left) + y_lerp * (bottom_right
                                                                      - bottom_left)
            keep = geometry.mask()[..., None]
            slope_y = np.where(keep, slope_y * grads, 0).sum(axis=(2, 3))  # [boxes, crop_h]
            slope_x = np.where(keep, slope_x * grads, 0).sum(axis=(1, 3))  # [boxes, crop_w]
            out = np.zeros((count, 4), np.float32)
            for axis, slope, steps, size in ((0, slope_y, crop_h, height),
                                             (1, slope_x, crop_w, width)):
                if steps > 1:
                    ratio = np.float32(size - 1) / np.float32(steps - 1)
                    position = np.arange(steps, dtype=np.float32) * ratio
                    out[:, axis] = (slope * (np.float32(size - 1) - position)).sum(axis=1)
                    out[:, axis + 2] = (slope * position).sum(axis=1)
                else:
                    half = np.float32(0.5 * (size - 1))
                    out[:, axis] = out[:, axis + 2] = slope.sum(axis=1) * half
            return out
        return grad_boxes


def crop_and_resize(image, boxes, box_ind, crop_size, method="bilinear",
                    extrapolation_value=0, name=None):
    """``tf.image.crop_and_resize(image, boxes, box_ind, crop_size, method='bilinear',
    extrapolation_value=0)`` -> float32 ``[num_boxes, crop_h, crop_w, depth]``."""
    if method not in ("bilinear", "nearest"):
        raise ValueError(f"Value for attr 'method' of \"{method}\" is not in the list of "
                         "allowed values: \"bilinear\", \"nearest\"")
    image = ops.convert_to_tensor(image, name="image")
    boxes = ops.convert_to_tensor(boxes, dtype=dtypes.float32, name="boxes")
    box_ind = ops.convert_to_tensor(box_ind, dtype=dtypes.int32, name="box_ind")
    crop_size = ops.convert_to_tensor(crop_size, dtype=dtypes.int32, name="crop_size")
    return make_tensor("CropAndResize", [image, boxes, box_ind, crop_size],
                       {"T": image.dtype.base_dtype, "method": method,
                        "extrapolation_value": float(extrapolation_value)},
                       name=name or "CropAndResize")


# ---- drawing -------------------------------------------------------------------------------
_COLOURS = np.array([[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
                     [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1],
                     [1, 0, 1, 1]], np.float32)


def _draw_box(canvas, box, colour):
    """Draws one box's four one-pixel edges (TF's truncation and clamping) on ``canvas``."""
    height, width = canvas.shape[:2]
    row_lo, col_lo, row_hi, col_hi = (int(np.float32(v) * np.float32(size - 1)) for v, size
                                      in zip(box, (height, width, height, width)))
    if row_lo > row_hi or col_lo > col_hi:
        return
    if row_lo >= height or row_hi < 0 or col_lo >= width or col_hi < 0:
        return
    rows = slice(max(row_lo, 0), min(row_hi, height - 1) + 1)
    cols = slice(max(col_lo, 0), min(col_hi, width - 1) + 1)
    if row_lo >= 0:
        canvas[row_lo, cols] = colour
    if row_hi < height:
        canvas[row_hi, cols] = colour
    if col_lo >= 0:
        canvas[rows, col_lo] = colour
    if col_hi < width:
        canvas[rows, col_hi] = colour


@register_op
class DrawBoundingBoxes(OpDef):
    """A copy of the images with each box's outline drawn in TF's colour cycle (white on
    one-channel images) (``tf.image.draw_bounding_boxes``)."""

    differentiable = False

    def infer(self, op):
        images, boxes = op.inputs[:2]
        _require_rank(op, images, 4)
        _require_rank(op, boxes, 3)
        return [(images.shape, images.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def draw(images, boxes, colours=None):
            if images.ndim != 4:
                raise _invalid(op, "The rank of the images should be 4")
            if boxes.ndim != 3:
                raise _invalid(op, "The rank of the boxes tensor should be 3")
            if images.shape[0] != boxes.shape[0]:
                raise _invalid(op, "The batch sizes should be the same")
            depth = images.shape[3]
            if depth not in (1, 3, 4):
                raise _invalid(op, "Channel depth should be either 1 (GRY), 3 (RGB), or 4 "
                               "(RGBA)")
            table = _COLOURS.copy()
            if depth == 1:
                table[:, 0] = 1
            if colours is not None and colours.size:
                table = colours.astype(np.float32)
            canvas = images.copy()
            for b in range(images.shape[0]):
                for index, box in enumerate(boxes[b]):
                    _draw_box(canvas[b], box, table[index % len(table)][:depth])
            return canvas
        return draw


@register_op
class DrawBoundingBoxesV2(DrawBoundingBoxes):
    """DrawBoundingBoxes with an explicit RGBA colour table input."""

    op_type = "DrawBoundingBoxesV2"


def draw_bounding_boxes(images, boxes, name=None, colors=None):
    """``tf.image.draw_bounding_boxes(images, boxes, name=None, colors=None)``."""
    images = ops.convert_to_tensor(images, name="images")
    boxes = ops.convert_to_tensor(boxes, dtype=images.dtype.base_dtype, name="boxes")
    if colors is None:
        return make_tensor("DrawBoundingBoxes", [images, boxes],
                           {"T": images.dtype.base_dtype}, name=name or "DrawBoundingBoxes")
    colors = ops.convert_to_tensor(colors, dtype=dtypes.float32, name="colors")
    return make_tensor("DrawBoundingBoxesV2", [images, boxes, colors],
                       {"T": images.dtype.base_dtype}, name=name or "DrawBoundingBoxesV2")


# ---- random distorted crops ----------------------------------------------------------------
def _distorted_box(rng, height, width, boxes, covered, aspect_range, area_range, attempts):
    """One attempt loop of TF's SampleDistortedBoundingBox: a crop of random aspect ratio
    and area that covers at least ``covered`` of one of ``boxes`` (else the whole image)."""
    for _ in range(attempts):
        box = boxes[rng.integers(len(boxes))]
        ratio = rng.uniform(*aspect_range)
        area = rng.uniform(*area_range) * height * width
        crop_h = int(round(np.sqrt(area / ratio)))
        crop_w = int(round(crop_h * ratio))
        if not (0 < crop_h <= height and 0 < crop_w <= width):
            continue
        top = rng.integers(height - crop_h + 1)
        left = rng.integers(width - crop_w + 1)
        box_rows = np.clip(np.array([box[0], box[2]]) * height, 0, height)
        box_cols = np.clip(np.array([box[1], box[3]]) * width, 0, width)
        inter_h = max(0.0, min(box_rows[1], top + crop_h) - max(box_rows[0], top))
        inter_w = max(0.0, min(box_cols[1], left + crop_w) - max(box_cols[0], left))
        box_area = (box_rows[1] - box_rows[0]) * (box_cols[1] - box_cols[0])
        if box_area > 0 and inter_h * inter_w / box_area >= covered:
            return top, left, crop_h, crop_w
    return 0, 0, height, width


@register_op
class SampleDistortedBoundingBoxV2(OpDef):
    """A random crop window (begin, size, the window as a box) for data augmentation
    (``tf.image.sample_distorted_bounding_box``); min_object_covered is an input."""

    differentiable = False
    stateful = True

    def infer(self, op):
        image_size = op.inputs[0]
        return [(tensor_shape.TensorShape([3]), image_size.dtype.base_dtype)] * 2 + [
            (tensor_shape.TensorShape([1, 1, 4]), dtypes.float32)]

    def kernel(self, op, ctx):
        rng = ctx.random_generator(op)
        aspect = op.attrs["aspect_ratio_range"]
        area_range = op.attrs["area_range"]
        attempts = op.attrs["max_attempts"]
        use_whole = op.attrs["use_image_if_no_bounding_boxes"]

        def sample(image_size, bounding_boxes, min_object_covered):
            if np.shape(image_size) != (3,):
                raise _invalid(op, "image_size must be 1-dimensional with 3 elements")
            height, width, depth = (int(v) for v in image_size)
            boxes = np.asarray(bounding_boxes, np.float32).reshape(-1, 4)
            if not boxes.size:
                if not use_whole:
                    raise _invalid(op, "No bounding boxes provided as input. One must "
                                   "enable use_image_if_no_bounding_boxes if you wish to not "
                                   "provide any bounding boxes.")
                boxes = np.array([[0, 0, 1, 1]], np.float32)
            top, left, crop_h, crop_w = _distorted_box(
                rng, height, width, boxes, float(min_object_covered), aspect, area_range,
                attempts)
            dtype = image_size.dtype
            begin = np.array([top, left, 0], dtype)
            size = np.array([crop_h, crop_w, -1], dtype)
            window = np.array([[[top / height, left / width, (top + crop_h) / height,
                                 (left + crop_w) / width]]], np.float32)
            return begin, size, window
        return sample


def sample_distorted_bounding_box(image_size, bounding_boxes, seed=None, seed2=None,
                                  min_object_covered=0.1, aspect_ratio_range=None,
                                  area_range=None, max_attempts=None,
                                  use_image_if_no_bounding_boxes=None, name=None):
    """``tf.image.sample_distorted_bounding_box`` -> (begin, size, bboxes) for
    ``tf.slice(image, begin, size)``; defaults as TF: aspect ratios [0.75, 1.33], areas
    [0.05, 1], 100 attempts."""
    op_seed, op_seed2 = random_seed.get_seed(seed)
    image_size = ops.convert_to_tensor(image_size, name="image_size")
    bounding_boxes = ops.convert_to_tensor(bounding_boxes, dtype=dtypes.float32,
                                           name="bounding_boxes")
    covered = ops.convert_to_tensor(min_object_covered, dtype=dtypes.float32,
                                    name="min_object_covered")
    attrs = {"T": image_size.dtype.base_dtype, "seed": op_seed or 0,
             "seed2": seed2 if seed2 is not None else (op_seed2 or 0),
             "aspect_ratio_range": list(aspect_ratio_range or [0.75, 1.33]),
             "area_range": list(area_range or [0.05, 1.0]),
             "max_attempts": int(max_attempts or 100),
             "use_image_if_no_bounding_boxes": bool(use_image_if_no_bounding_boxes)}
    op = make_op("SampleDistortedBoundingBoxV2", [image_size, bounding_boxes, covered], attrs,
                 name=name or "SampleDistortedBoundingBoxV2")
    return tuple(op.outputs)


# ---- resize with padding -------------------------------------------------------------------
def resize_image_with_pad(image, target_height, target_width,
                          method=ResizeMethod.BILINEAR, align_corners=False):
    """``tf.image.resize_image_with_pad``: resized to fit inside the target keeping the
    aspect ratio (sizes floored), then padded with zeros around, centred (TF 1.x)."""
    with ops.name_scope(None, "resize_image_with_pad", [image]):
        image = ops.convert_to_tensor(image, name="image")
        rank = image.shape.ndims
        if rank not in (3, 4):
            raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions."
                             % image.shape)
        batched = image if rank == 4 else array_ops.expand_dims(image, 0)
        shape = array_ops.shape(batched)
        height = math_ops.cast(shape[1], dtypes.float64)
        width = math_ops.cast(shape[2], dtypes.float64)
        f_target_h = math_ops.cast(target_height, dtypes.float64)
        f_target_w = math_ops.cast(target_width, dtypes.float64)
        ratio = math_ops.maximum(width / f_target_w, height / f_target_h)
        resized_h_float = height / ratio
        resized_w_float = width / ratio
        resized_h = math_ops.cast(math_ops.floor(resized_h_float), dtypes.int32)
        resized_w = math_ops.cast(math_ops.floor(resized_w_float), dtypes.int32)
        pad_h = math_ops.maximum(0, math_ops.cast(math_ops.floor(
            (f_target_h - resized_h_float) / 2), dtypes.int32))
        pad_w = math_ops.maximum(0, math_ops.cast(math_ops.floor(
            (f_target_w - resized_w_float) / 2), dtypes.int32))
        resized = resize_images(batched, array_ops.stack([resized_h, resized_w]), method,
                                align_corners)
        padded = pad_to_bounding_box(resized, pad_h, pad_w, target_height, target_width)
        padded.set_shape([batched.shape[0], target_height, target_width, batched.shape[3]])
        return padded if rank == 4 else array_ops.squeeze(padded, [0])
