"""Writes image_box_goldens.npz: TensorFlow's non-max suppression, crop_and_resize (values
and both gradients), draw_bounding_boxes, extract_image_patches (value and gradient) and
resize_image_with_pad on fixed inputs (TensorFlow 2.x, compat.v1 graph mode)."""
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def inputs():
    rng = np.random.default_rng(21)
    corners = rng.uniform(0, 1, size=(12, 2, 2))
    boxes = np.concatenate([corners.min(1), corners.max(1)], axis=1).astype(np.float32)
    boxes[3] = boxes[2] + 0.01  # a near-duplicate
    boxes[5] = boxes[5, [2, 3, 0, 1]]  # corners given in the other order
    scores = rng.uniform(0, 1, size=12).astype(np.float32)
    scores[7] = scores[1]  # a tie
    image = rng.uniform(0, 1, size=(2, 7, 9, 3)).astype(np.float32)
    crop_boxes = np.array([[0.1, 0.2, 0.8, 0.9], [0.5, 0.1, 0.2, 0.7],
                           [-0.2, -0.1, 1.2, 0.6], [0.3, 0.3, 0.3, 0.6]], np.float32)
    box_ind = np.array([0, 1, 0, 1], np.int32)
    draw = rng.uniform(0, 1, size=(2, 8, 10, 3)).astype(np.float32)
    draw_boxes = np.array([[[0.1, 0.1, 0.5, 0.6], [0.3, -0.2, 0.9, 1.3]],
                           [[0.0, 0.0, 1.0, 1.0], [0.6, 0.5, 0.2, 0.1]]], np.float32)
    patches_in = rng.uniform(0, 1, size=(2, 6, 7, 2)).astype(np.float32)
    pad_in = rng.uniform(0, 1, size=(5, 8, 3)).astype(np.float32)
    return (boxes, scores, image, crop_boxes, box_ind, draw, draw_boxes, patches_in, pad_in)


def main():
    (boxes, scores, image, crop_boxes, box_ind, draw, draw_boxes, patches_in,
     pad_in) = inputs()
    out = {}
    with tf.Session() as sess:
        def put(key, tensor):
            out[key] = sess.run(tensor)
        put("nms", tf.image.non_max_suppression(boxes, scores, 6, iou_threshold=0.3))
        put("nms_score", tf.image.non_max_suppression(boxes, scores, 10, 0.5,
                                                      score_threshold=0.4))
        overlaps = np.abs(np.subtract.outer(scores, scores)).astype(np.float32)
        put("nms_overlaps", tf.image.non_max_suppression_overlaps(overlaps, scores, 5, 0.2))
        indices, valid = tf.image.non_max_suppression_padded(
            boxes, scores, 8, 0.3, pad_to_max_output_size=True)
        put("nms_padded", indices)
        put("nms_padded_valid", valid)
        image_t = tf.constant(image)
        boxes_t = tf.constant(crop_boxes)
        for method in ("bilinear", "nearest"):
            crops = tf.image.crop_and_resize(image_t, boxes_t, box_ind, [3, 4], method=method,
                                             extrapolation_value=0.25)
            put(f"crop_{method}", crops)
            weights = tf.constant(np.linspace(-1, 1, 4 * 3 * 4 * 3).reshape(4, 3, 4, 3),
                                  tf.float32)
            grads = tf.gradients(tf.reduce_sum(crops * weights), [image_t, boxes_t])
            put(f"crop_{method}_grad_image", grads[0])
            if method == "bilinear":
                put("crop_bilinear_grad_boxes", grads[1])
        put("crop_single", tf.image.crop_and_resize(image_t, boxes_t, box_ind, [1, 1]))
        put("draw", tf.image.draw_bounding_boxes(draw, draw_boxes))
        put("draw_gray", tf.image.draw_bounding_boxes(draw[..., :1], draw_boxes))
        patches_t = tf.constant(patches_in)
        for padding in ("VALID", "SAME"):
            patches = tf.extract_image_patches(patches_t, [1, 3, 2, 1], [1, 2, 3, 1],
                                               [1, 1, 2, 1], padding)
            put(f"patches_{padding}", patches)
            weights = tf.constant(np.linspace(-1, 1, np.prod(patches.shape.as_list())).reshape(
                patches.shape.as_list()), tf.float32)
            put(f"patches_{padding}_grad", tf.gradients(tf.reduce_sum(patches * weights),
                                                        patches_t)[0])
        put("pad_resize", tf.image.resize_image_with_pad(pad_in, 10, 6))
        put("pad_resize_nearest", tf.image.resize_image_with_pad(
            pad_in, 7, 12, method=tf.image.ResizeMethod.NEAREST_NEIGHBOR))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "image_box_goldens.npz")
    np.savez_compressed(path, **out)


if __name__ == "__main__":
    main()
