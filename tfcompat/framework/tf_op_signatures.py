"""TensorFlow's signatures of the op types tfcompat registers, in the notation of
TF's REGISTER_OP: ``inputs -> outputs | attrs`` (``N * T`` a list of N tensors,
``Ref(T)`` a reference input; attr defaults as Python literals, dtypes by name,
shapes as dims or None for unknown rank). Written from TensorFlow 2.21.0's op
registry by tests/golden/make_tf_op_attrs.py; do not edit by hand."""

SIGNATURES = {
    'Abs': 'x: T -> y: T | T: type',
    'AccumulatorNumAccumulated': 'handle: Ref(string) -> num_accumulated: int32 | ',
    'AccumulatorSetGlobalStep': 'handle: Ref(string), new_global_step: int64 ->  | ',
    'Acos': 'x: T -> y: T | T: type',
    'Acosh': 'x: T -> y: T | T: type',
    'Add': 'x: T, y: T -> z: T | T: type',
    'AddN': 'inputs: N * T -> sum: T | N: int; T: type',
    'AddV2': 'x: T, y: T -> z: T | T: type',
    'AdjustContrastv2': (
        'images: T, contrast_factor: float32 -> output: T | T: type = '
        "'float32'"),
    'AdjustHue': "images: T, delta: float32 -> output: T | T: type = 'float32'",
    'AdjustSaturation': "images: T, scale: float32 -> output: T | T: type = 'float32'",
    'All': (
        'input: bool, reduction_indices: Tidx -> output: bool | keep_dims: bool = False; '
        "Tidx: type = 'int32'"),
    'AllCandidateSampler': (
        'true_classes: int64 -> sampled_candidates: int64, '
        'true_expected_count: float32, sampled_expected_count: float32 | '
        'num_true: int; num_sampled: int; unique: bool; seed: int = 0; '
        'seed2: int = 0'),
    'Angle': "input: T -> output: Tout | T: type = 'complex64'; Tout: type = 'float32'",
    'Any': (
        'input: bool, reduction_indices: Tidx -> output: bool | keep_dims: bool = False; '
        "Tidx: type = 'int32'"),
    'ApplyAdaMax': (
        'var: Ref(T), m: Ref(T), v: Ref(T), beta1_power: T, lr: T, beta1: T, '
        'beta2: T, epsilon: T, grad: T -> out: Ref(T) | T: type; use_locking: bool'
        ' = False'),
    'ApplyAdadelta': (
        'var: Ref(T), accum: Ref(T), accum_update: Ref(T), lr: T, rho: T, '
        'epsilon: T, grad: T -> out: Ref(T) | T: type; use_locking: bool = False'),
    'ApplyAdagrad': (
        'var: Ref(T), accum: Ref(T), lr: T, grad: T -> out: Ref(T) | T: type; '
        'use_locking: bool = False; update_slots: bool = True'),
    'ApplyAdagradDA': (
        'var: Ref(T), gradient_accumulator: Ref(T), '
        'gradient_squared_accumulator: Ref(T), grad: T, lr: T, l1: T, l2: T, '
        'global_step: int64 -> out: Ref(T) | T: type; use_locking: bool = False'),
    'ApplyAdam': (
        'var: Ref(T), m: Ref(T), v: Ref(T), beta1_power: T, beta2_power: T, lr: T, '
        'beta1: T, beta2: T, epsilon: T, grad: T -> out: Ref(T) | T: type; '
        'use_locking: bool = False; use_nesterov: bool = False'),
    'ApplyAddSign': (
        'var: Ref(T), m: Ref(T), lr: T, alpha: T, sign_decay: T, beta: T, grad: T'
        ' -> out: Ref(T) | T: type; use_locking: bool = False'),
    'ApplyCenteredRMSProp': (
        'var: Ref(T), mg: Ref(T), ms: Ref(T), mom: Ref(T), lr: T, rho: T,'
        ' momentum: T, epsilon: T, grad: T -> out: Ref(T) | T: type; '
        'use_locking: bool = False'),
    'ApplyFtrl': (
        'var: Ref(T), accum: Ref(T), linear: Ref(T), grad: T, lr: T, l1: T, l2: T, '
        'lr_power: T -> out: Ref(T) | T: type; use_locking: bool = False; '
        'multiply_linear_by_lr: bool = False'),
    'ApplyFtrlV2': (
        'var: Ref(T), accum: Ref(T), linear: Ref(T), grad: T, lr: T, l1: T, l2: T,'
        ' l2_shrinkage: T, lr_power: T -> out: Ref(T) | T: type; use_locking: bool'
        ' = False; multiply_linear_by_lr: bool = False'),
    'ApplyGradientDescent': (
        'var: Ref(T), alpha: T, delta: T -> out: Ref(T) | T: type; '
        'use_locking: bool = False'),
    'ApplyMomentum': (
        'var: Ref(T), accum: Ref(T), lr: T, grad: T, momentum: T -> out: Ref(T) '
        '| T: type; use_locking: bool = False; use_nesterov: bool = False'),
    'ApplyPowerSign': (
        'var: Ref(T), m: Ref(T), lr: T, logbase: T, sign_decay: T, beta: T, '
        'grad: T -> out: Ref(T) | T: type; use_locking: bool = False'),
    'ApplyProximalAdagrad': (
        'var: Ref(T), accum: Ref(T), lr: T, l1: T, l2: T, grad: T -> out:'
        ' Ref(T) | T: type; use_locking: bool = False'),
    'ApplyProximalGradientDescent': (
        'var: Ref(T), alpha: T, l1: T, l2: T, delta: T -> out: '
        'Ref(T) | T: type; use_locking: bool = False'),
    'ApplyRMSProp': (
        'var: Ref(T), ms: Ref(T), mom: Ref(T), lr: T, rho: T, momentum: T, '
        'epsilon: T, grad: T -> out: Ref(T) | T: type; use_locking: bool = False'),
    'ArgMax': (
        'input: T, dimension: Tidx -> output: output_type | T: type; Tidx: type = '
        "'int32'; output_type: type = 'int64'"),
    'ArgMin': (
        'input: T, dimension: Tidx -> output: output_type | T: type; Tidx: type = '
        "'int32'; output_type: type = 'int64'"),
    'AsString': (
        'input: T -> output: string | T: type; precision: int = -1; scientific: bool '
        "= False; shortest: bool = False; width: int = -1; fill: string = ''"),
    'Asin': 'x: T -> y: T | T: type',
    'Asinh': 'x: T -> y: T | T: type',
    'Assert': 'condition: bool, data: T ->  | T: list(type); summarize: int = 3',
    'Assign': (
        'ref: Ref(T), value: T -> output_ref: Ref(T) | T: type; validate_shape: bool = '
        'True; use_locking: bool = True'),
    'AssignAdd': (
        'ref: Ref(T), value: T -> output_ref: Ref(T) | T: type; use_locking: bool = '
        'False'),
    'AssignSub': (
        'ref: Ref(T), value: T -> output_ref: Ref(T) | T: type; use_locking: bool = '
        'False'),
    'Atan': 'x: T -> y: T | T: type',
    'Atan2': 'y: T, x: T -> z: T | T: type',
    'Atanh': 'x: T -> y: T | T: type',
    'AudioSpectrogram': (
        'input: float32 -> spectrogram: float32 | window_size: int; stride: '
        'int; magnitude_squared: bool = False'),
    'AudioSummaryV2': (
        'tag: string, tensor: float32, sample_rate: float32 -> summary: string '
        '| max_outputs: int = 3'),
    'AvgPool': (
        'value: T -> output: T | ksize: list(int); strides: list(int); padding: '
        "string; data_format: string = 'NHWC'; T: type"),
    'AvgPool3D': (
        'input: T -> output: T | ksize: list(int); strides: list(int); padding: '
        "string; data_format: string = 'NDHWC'; T: type"),
    'AvgPool3DGrad': (
        'orig_input_shape: int32, grad: T -> output: T | ksize: list(int); '
        "strides: list(int); padding: string; data_format: string = 'NDHWC'; T: "
        'type'),
    'AvgPoolGrad': (
        'orig_input_shape: int32, grad: T -> output: T | ksize: list(int); '
        "strides: list(int); padding: string; data_format: string = 'NHWC'; T: "
        'type'),
    'BatchDatasetV2': (
        'input_dataset: variant, batch_size: int64, drop_remainder: bool -> '
        'handle: variant | parallel_copy: bool = False; output_types: '
        "list(type); output_shapes: list(shape); metadata: string = ''"),
    'BatchMatMul': (
        'x: T, y: T -> output: T | T: type; adj_x: bool = False; adj_y: bool = '
        'False; grad_x: bool = False; grad_y: bool = False'),
    'BatchToSpaceND': (
        'input: T, block_shape: Tblock_shape, crops: Tcrops -> output: T | T: '
        "type; Tblock_shape: type = 'int32'; Tcrops: type = 'int32'"),
    'BesselI0e': 'x: T -> y: T | T: type',
    'BesselI1e': 'x: T -> y: T | T: type',
    'Betainc': 'a: T, b: T, x: T -> z: T | T: type',
    'BiasAdd': "value: T, bias: T -> output: T | T: type; data_format: string = 'NHWC'",
    'BiasAddGrad': "out_backprop: T -> output: T | T: type; data_format: string = 'NHWC'",
    'Bincount': 'arr: int32, size: int32, weights: T -> bins: T | T: type',
    'Bitcast': 'input: T -> output: type | T: type; type: type',
    'BitwiseAnd': 'x: T, y: T -> z: T | T: type',
    'BitwiseOr': 'x: T, y: T -> z: T | T: type',
    'BitwiseXor': 'x: T, y: T -> z: T | T: type',
    'BroadcastArgs': "s0: T, s1: T -> r0: T | T: type = 'int32'",
    'BroadcastGradientArgs': "s0: T, s1: T -> r0: T, r1: T | T: type = 'int32'",
    'BroadcastTo': "input: T, shape: Tidx -> output: T | T: type; Tidx: type = 'int32'",
    'CSVDataset': (
        'filenames: string, compression_type: string, buffer_size: int64, header: '
        'bool, field_delim: string, use_quote_delim: bool, na_value: string, '
        'select_cols: int64, record_defaults: output_types -> handle: variant | '
        'output_types: list(type); output_shapes: list(shape)'),
    'CTCBeamSearchDecoder': (
        'inputs: T, sequence_length: int32 -> decoded_indices: top_paths '
        '* int64, decoded_values: top_paths * int64, decoded_shape: '
        'top_paths * int64, log_probability: T | beam_width: int; '
        "top_paths: int; merge_repeated: bool = True; T: type = 'float32'"),
    'CTCGreedyDecoder': (
        'inputs: T, sequence_length: int32 -> decoded_indices: int64, '
        'decoded_values: int64, decoded_shape: int64, log_probability: T | '
        'merge_repeated: bool = False; blank_index: int = -1; T: type = '
        "'float32'"),
    'CTCLoss': (
        'inputs: T, labels_indices: int64, labels_values: int32, sequence_length: '
        'int32 -> loss: T, gradient: T | preprocess_collapse_repeated: bool = False; '
        'ctc_merge_repeated: bool = True; ignore_longer_outputs_than_inputs: bool = '
        "False; T: type = 'float32'"),
    'CacheDataset': (
        'input_dataset: variant, filename: string -> handle: variant | '
        'output_types: list(type); output_shapes: list(shape); metadata: string ='
        " ''"),
    'Cast': 'x: SrcT -> y: DstT | SrcT: type; DstT: type; Truncate: bool = False',
    'Ceil': 'x: T -> y: T | T: type',
    'CheckNumerics': 'tensor: T -> output: T | T: type; message: string',
    'Cholesky': 'input: T -> output: T | T: type',
    'CloseSummaryWriter': 'writer: resource ->  | ',
    'CombinedNonMaxSuppression': (
        'boxes: float32, scores: float32, max_output_size_per_class:'
        ' int32, max_total_size: int32, iou_threshold: float32, '
        'score_threshold: float32 -> nmsed_boxes: float32, '
        'nmsed_scores: float32, nmsed_classes: float32, '
        'valid_detections: int32 | pad_per_class: bool = False; '
        'clip_boxes: bool = True'),
    'Complex': "real: T, imag: T -> out: Tout | T: type = 'float32'; Tout: type = 'complex64'",
    'ComplexAbs': "x: T -> y: Tout | T: type = 'complex64'; Tout: type = 'float32'",
    'ComputeAccidentalHits': (
        'true_classes: int64, sampled_candidates: int64 -> indices: '
        'int32, ids: int64, weights: float32 | num_true: int; seed: int '
        '= 0; seed2: int = 0'),
    'ConcatOffset': (
        'concat_dim: int32, shape: N * shape_type -> offset: N * shape_type | N: '
        "int; shape_type: type = 'int32'"),
    'ConcatV2': (
        'values: N * T, axis: Tidx -> output: T | N: int; T: type; Tidx: type = '
        "'int32'"),
    'ConcatenateDataset': (
        'input_dataset: variant, another_dataset: variant -> handle: '
        'variant | output_types: list(type); output_shapes: list(shape); '
        "metadata: string = ''"),
    'Conj': "input: T -> output: T | T: type = 'complex64'",
    'Const': ' -> output: dtype | value: tensor; dtype: type',
    'ControlTrigger': ' ->  | ',
    'Conv2D': (
        'input: T, filter: T -> output: T | T: type; strides: list(int); '
        'use_cudnn_on_gpu: bool = True; padding: string; explicit_paddings: list(int) ='
        " []; data_format: string = 'NHWC'; dilations: list(int) = [1, 1, 1, 1]"),
    'Conv2DBackpropFilter': (
        'input: T, filter_sizes: int32, out_backprop: T -> output: T | T:'
        ' type; strides: list(int); use_cudnn_on_gpu: bool = True; '
        'padding: string; explicit_paddings: list(int) = []; data_format:'
        " string = 'NHWC'; dilations: list(int) = [1, 1, 1, 1]"),
    'Conv2DBackpropInput': (
        'input_sizes: int32, filter: T, out_backprop: T -> output: T | T: '
        'type; strides: list(int); use_cudnn_on_gpu: bool = True; padding:'
        ' string; explicit_paddings: list(int) = []; data_format: string ='
        " 'NHWC'; dilations: list(int) = [1, 1, 1, 1]"),
    'Conv3D': (
        'input: T, filter: T -> output: T | T: type; strides: list(int); padding: '
        "string; data_format: string = 'NDHWC'; dilations: list(int) = [1, 1, 1, 1, 1]"),
    'Conv3DBackpropFilterV2': (
        'input: T, filter_sizes: int32, out_backprop: T -> output: T | '
        'T: type; strides: list(int); padding: string; data_format: '
        "string = 'NDHWC'; dilations: list(int) = [1, 1, 1, 1, 1]"),
    'Conv3DBackpropInputV2': (
        'input_sizes: Tshape, filter: T, out_backprop: T -> output: T | '
        'T: type; strides: list(int); padding: string; data_format: '
        "string = 'NDHWC'; dilations: list(int) = [1, 1, 1, 1, 1]; "
        "Tshape: type = 'int32'"),
    'Cos': 'x: T -> y: T | T: type',
    'Cosh': 'x: T -> y: T | T: type',
    'CountUpTo': 'ref: Ref(T) -> output: T | limit: int; T: type',
    'CreateSummaryFileWriter': (
        'writer: resource, logdir: string, max_queue: int32, '
        'flush_millis: int32, filename_suffix: string ->  | '),
    'CropAndResize': (
        'image: T, boxes: float32, box_ind: int32, crop_size: int32 -> crops: '
        "float32 | T: type; method: string = 'bilinear'; extrapolation_value: "
        'float = 0.0'),
    'CropAndResizeGradBoxes': (
        'grads: float32, image: T, boxes: float32, box_ind: int32 -> '
        "output: float32 | T: type; method: string = 'bilinear'"),
    'CropAndResizeGradImage': (
        'grads: float32, boxes: float32, box_ind: int32, image_size: '
        "int32 -> output: T | T: type; method: string = 'bilinear'"),
    'Cross': 'a: T, b: T -> product: T | T: type',
    'Cumprod': (
        'x: T, axis: Tidx -> out: T | exclusive: bool = False; reverse: bool = False; '
        "T: type; Tidx: type = 'int32'"),
    'Cumsum': (
        'x: T, axis: Tidx -> out: T | exclusive: bool = False; reverse: bool = False; '
        "T: type; Tidx: type = 'int32'"),
    'DatasetCardinality': (
        'input_dataset: variant -> cardinality: int64 | '
        "cardinality_options: string = ''"),
    'DatasetToSingleElement': (
        'dataset: variant -> components: output_types | output_types: '
        "list(type); output_shapes: list(shape); metadata: string = ''"),
    'DatasetToTFRecord': (
        'input_dataset: variant, filename: string, compression_type: string '
        '->  | '),
    'DecodeAndCropJpeg': (
        'contents: string, crop_window: int32 -> image: uint8 | channels: '
        'int = 0; ratio: int = 1; fancy_upscaling: bool = True; '
        'try_recover_truncated: bool = False; acceptable_fraction: float = '
        "1.0; dct_method: string = ''"),
    'DecodeBase64': 'input: string -> output: string | ',
    'DecodeBmp': 'contents: string -> image: uint8 | channels: int = 0',
    'DecodeCSV': (
        'records: string, record_defaults: OUT_TYPE -> output: OUT_TYPE | OUT_TYPE: '
        "list(type); field_delim: string = ','; use_quote_delim: bool = True; "
        "na_value: string = ''; select_cols: list(int) = []"),
    'DecodeCompressed': "bytes: string -> output: string | compression_type: string = ''",
    'DecodeGif': 'contents: string -> image: uint8 | ',
    'DecodeImage': (
        'contents: string -> image: dtype | channels: int = 0; dtype: type = '
        "'uint8'; expand_animations: bool = True"),
    'DecodeJSONExample': 'json_examples: string -> binary_examples: string | ',
    'DecodeJpeg': (
        'contents: string -> image: uint8 | channels: int = 0; ratio: int = 1; '
        'fancy_upscaling: bool = True; try_recover_truncated: bool = False; '
        "acceptable_fraction: float = 1.0; dct_method: string = ''"),
    'DecodePng': "contents: string -> image: dtype | channels: int = 0; dtype: type = 'uint8'",
    'DecodeRaw': (
        'bytes: string -> output: out_type | out_type: type; little_endian: bool = '
        'True'),
    'DecodeWav': (
        'contents: string -> audio: float32, sample_rate: int32 | desired_channels: '
        'int = -1; desired_samples: int = -1'),
    'DeleteSessionTensor': 'handle: string ->  | ',
    'DenseToDenseSetOperation': (
        'set1: T, set2: T -> result_indices: int64, result_values: T,'
        ' result_shape: int64 | set_operation: string; '
        'validate_indices: bool = True; T: type'),
    'DenseToSparseBatchDataset': (
        'input_dataset: variant, batch_size: int64, row_shape: int64'
        ' -> handle: variant | output_types: list(type); '
        'output_shapes: list(shape)'),
    'DenseToSparseSetOperation': (
        'set1: T, set2_indices: int64, set2_values: T, set2_shape: '
        'int64 -> result_indices: int64, result_values: T, '
        'result_shape: int64 | set_operation: string; '
        'validate_indices: bool = True; T: type'),
    'DepthToSpace': (
        'input: T -> output: T | T: type; block_size: int; data_format: string = '
        "'NHWC'"),
    'DepthwiseConv2dNative': (
        'input: T, filter: T -> output: T | T: type; strides: list(int);'
        ' padding: string; explicit_paddings: list(int) = []; '
        "data_format: string = 'NHWC'; dilations: list(int) = [1, 1, 1, "
        '1]'),
    'DepthwiseConv2dNativeBackpropFilter': (
        'input: T, filter_sizes: int32, out_backprop: T ->'
        ' output: T | T: type; strides: list(int); '
        'padding: string; explicit_paddings: list(int) = '
        "[]; data_format: string = 'NHWC'; dilations: "
        'list(int) = [1, 1, 1, 1]'),
    'DepthwiseConv2dNativeBackpropInput': (
        'input_sizes: int32, filter: T, out_backprop: T -> '
        'output: T | T: type; strides: list(int); padding: '
        'string; explicit_paddings: list(int) = []; '
        "data_format: string = 'NHWC'; dilations: list(int)"
        ' = [1, 1, 1, 1]'),
    'DeserializeManySparse': (
        'serialized_sparse: string -> sparse_indices: int64, '
        'sparse_values: dtype, sparse_shape: int64 | dtype: type'),
    'Diag': 'diagonal: T -> output: T | T: type',
    'DiagPart': 'input: T -> diagonal: T | T: type',
    'Digamma': 'x: T -> y: T | T: type',
    'Dilation2D': (
        'input: T, filter: T -> output: T | T: type; strides: list(int); rates: '
        'list(int); padding: string'),
    'Dilation2DBackpropFilter': (
        'input: T, filter: T, out_backprop: T -> filter_backprop: T |'
        ' T: type; strides: list(int); rates: list(int); padding: '
        'string'),
    'Dilation2DBackpropInput': (
        'input: T, filter: T, out_backprop: T -> in_backprop: T | T: '
        'type; strides: list(int); rates: list(int); padding: string'),
    'DirectedInterleaveDataset': (
        'selector_input_dataset: variant, data_input_datasets: N * '
        'variant -> handle: variant | output_types: list(type); '
        'output_shapes: list(shape); N: int; stop_on_empty_dataset: '
        'bool = False'),
    'Div': 'x: T, y: T -> z: T | T: type',
    'DivNoNan': 'x: T, y: T -> z: T | T: type',
    'DrawBoundingBoxes': "images: T, boxes: float32 -> output: T | T: type = 'float32'",
    'DrawBoundingBoxesV2': (
        'images: T, boxes: float32, colors: float32 -> output: T | T: type'
        " = 'float32'"),
    'DynamicPartition': (
        'data: T, partitions: int32 -> outputs: num_partitions * T | '
        'num_partitions: int; T: type'),
    'DynamicStitch': 'indices: N * int32, data: N * T -> merged: T | N: int; T: type',
    'EagerPyFunc': (
        'input: Tin -> output: Tout | token: string; is_async: bool = False; Tin: '
        'list(type); Tout: list(type)'),
    'EditDistance': (
        'hypothesis_indices: int64, hypothesis_values: T, hypothesis_shape: '
        'int64, truth_indices: int64, truth_values: T, truth_shape: int64 -> '
        'output: float32 | normalize: bool = True; T: type'),
    'Einsum': 'inputs: N * T -> output: T | equation: string; N: int; T: type',
    'Elu': 'features: T -> activations: T | T: type',
    'EluGrad': 'gradients: T, outputs: T -> backprops: T | T: type',
    'EncodeBase64': 'input: string -> output: string | pad: bool = False',
    'EncodeJpeg': (
        "image: uint8 -> contents: string | format: string = ''; quality: int = 95;"
        ' progressive: bool = False; optimize_size: bool = False; '
        "chroma_downsampling: bool = True; density_unit: string = 'in'; x_density: "
        "int = 300; y_density: int = 300; xmp_metadata: string = ''"),
    'EncodePng': "image: T -> contents: string | compression: int = -1; T: type = 'uint8'",
    'EncodeWav': 'audio: float32, sample_rate: int32 -> contents: string | ',
    'EnsureShape': 'input: T -> output: T | shape: shape; T: type',
    'Enter': (
        'data: T -> output: T | T: type; frame_name: string; is_constant: bool = False; '
        'parallel_iterations: int = 10'),
    'Equal': 'x: T, y: T -> z: bool | T: type; incompatible_shape_error: bool = True',
    'Erf': 'x: T -> y: T | T: type',
    'Erfc': 'x: T -> y: T | T: type',
    'Exit': 'data: T -> output: T | T: type',
    'Exp': 'x: T -> y: T | T: type',
    'ExpandDims': "input: T, dim: Tdim -> output: T | T: type; Tdim: type = 'int32'",
    'Expm1': 'x: T -> y: T | T: type',
    'ExtractImagePatches': (
        'images: T -> patches: T | ksizes: list(int); strides: list(int); '
        'rates: list(int); T: type; padding: string'),
    'ExtractJpegShape': (
        'contents: string -> image_shape: output_type | output_type: type = '
        "'int32'"),
    'FFT': "input: Tcomplex -> output: Tcomplex | Tcomplex: type = 'complex64'",
    'FFT2D': "input: Tcomplex -> output: Tcomplex | Tcomplex: type = 'complex64'",
    'FFT3D': "input: Tcomplex -> output: Tcomplex | Tcomplex: type = 'complex64'",
    'FIFOQueueV2': (
        ' -> handle: resource | component_types: list(type); shapes: list(shape) ='
        " []; capacity: int = -1; container: string = ''; shared_name: string = ''"),
    'FakeQuantWithMinMaxArgs': (
        'inputs: float32 -> outputs: float32 | min: float = -6.0; max:'
        ' float = 6.0; num_bits: int = 8; narrow_range: bool = False'),
    'FakeQuantWithMinMaxArgsGradient': (
        'gradients: float32, inputs: float32 -> backprops: '
        'float32 | min: float = -6.0; max: float = 6.0; '
        'num_bits: int = 8; narrow_range: bool = False'),
    'FakeQuantWithMinMaxVars': (
        'inputs: float32, min: float32, max: float32 -> outputs: '
        'float32 | num_bits: int = 8; narrow_range: bool = False'),
    'FakeQuantWithMinMaxVarsGradient': (
        'gradients: float32, inputs: float32, min: float32, '
        'max: float32 -> backprops_wrt_input: float32, '
        'backprop_wrt_min: float32, backprop_wrt_max: float32 '
        '| num_bits: int = 8; narrow_range: bool = False'),
    'FakeQuantWithMinMaxVarsPerChannel': (
        'inputs: float32, min: float32, max: float32 -> '
        'outputs: float32 | num_bits: int = 8; narrow_range:'
        ' bool = False'),
    'FakeQuantWithMinMaxVarsPerChannelGradient': (
        'gradients: float32, inputs: float32, min: '
        'float32, max: float32 -> '
        'backprops_wrt_input: float32, '
        'backprop_wrt_min: float32, '
        'backprop_wrt_max: float32 | num_bits: int ='
        ' 8; narrow_range: bool = False'),
    'Fill': "dims: index_type, value: T -> output: T | T: type; index_type: type = 'int32'",
    'FilterDataset': (
        'input_dataset: variant, other_arguments: Targuments -> handle: variant '
        '| predicate: func; Targuments: list(type); output_types: list(type); '
        "output_shapes: list(shape); metadata: string = ''"),
    'Fingerprint': 'data: T, method: string -> fingerprint: uint8 | T: type',
    'FixedLengthRecordDatasetV2': (
        'filenames: string, header_bytes: int64, record_bytes: '
        'int64, footer_bytes: int64, buffer_size: int64, '
        'compression_type: string -> handle: variant | metadata: '
        "string = ''"),
    'FixedLengthRecordReaderV2': (
        ' -> reader_handle: resource | header_bytes: int = 0; '
        'record_bytes: int; footer_bytes: int = 0; hop_bytes: int = '
        "0; container: string = ''; shared_name: string = ''; "
        "encoding: string = ''"),
    'FixedUnigramCandidateSampler': (
        'true_classes: int64 -> sampled_candidates: int64, '
        'true_expected_count: float32, sampled_expected_count: '
        'float32 | num_true: int; num_sampled: int; unique: bool;'
        " range_max: int; vocab_file: string = ''; distortion: "
        'float = 1.0; num_reserved_ids: int = 0; num_shards: int '
        '= 1; shard: int = 0; unigrams: list(float) = []; seed: '
        'int = 0; seed2: int = 0'),
    'FlatMapDataset': (
        'input_dataset: variant, other_arguments: Targuments -> handle: variant'
        ' | f: func; Targuments: list(type); output_types: list(type); '
        "output_shapes: list(shape); metadata: string = ''"),
    'Floor': 'x: T -> y: T | T: type',
    'FloorDiv': 'x: T, y: T -> z: T | T: type',
    'FloorMod': 'x: T, y: T -> z: T | T: type',
    'FlushSummaryWriter': 'writer: resource ->  | ',
    'FractionalAvgPool': (
        'value: T -> output: T, row_pooling_sequence: int64, '
        'col_pooling_sequence: int64 | pooling_ratio: list(float); '
        'pseudo_random: bool = False; overlapping: bool = False; '
        'deterministic: bool = False; seed: int = 0; seed2: int = 0; T: type'),
    'FractionalAvgPoolGrad': (
        'orig_input_tensor_shape: int64, out_backprop: T, '
        'row_pooling_sequence: int64, col_pooling_sequence: int64 -> '
        'output: T | overlapping: bool = False; T: type'),
    'FractionalMaxPool': (
        'value: T -> output: T, row_pooling_sequence: int64, '
        'col_pooling_sequence: int64 | pooling_ratio: list(float); '
        'pseudo_random: bool = False; overlapping: bool = False; '
        'deterministic: bool = False; seed: int = 0; seed2: int = 0; T: type'),
    'FractionalMaxPoolGrad': (
        'orig_input: T, orig_output: T, out_backprop: T, '
        'row_pooling_sequence: int64, col_pooling_sequence: int64 -> '
        'output: T | overlapping: bool = False; T: type'),
    'FusedBatchNormGradV3': (
        'y_backprop: T, x: T, scale: float32, reserve_space_1: U, '
        'reserve_space_2: U, reserve_space_3: U -> x_backprop: T, '
        'scale_backprop: U, offset_backprop: U, reserve_space_4: U, '
        'reserve_space_5: U | T: type; U: type; epsilon: float = '
        "9.999999747378752e-05; data_format: string = 'NHWC'; "
        'is_training: bool = True'),
    'FusedBatchNormV3': (
        'x: T, scale: U, offset: U, mean: U, variance: U -> y: T, batch_mean:'
        ' U, batch_variance: U, reserve_space_1: U, reserve_space_2: U, '
        'reserve_space_3: U | T: type; U: type; epsilon: float = '
        '9.999999747378752e-05; exponential_avg_factor: float = 1.0; '
        "data_format: string = 'NHWC'; is_training: bool = True"),
    'GatherNd': (
        'params: Tparams, indices: Tindices -> output: Tparams | Tparams: type; '
        "Tindices: type; bad_indices_policy: string = ''"),
    'GatherV2': (
        'params: Tparams, indices: Tindices, axis: Taxis -> output: Tparams | '
        'batch_dims: int = 0; Tparams: type; Tindices: type; Taxis: type'),
    'GeneratorDataset': (
        'init_func_other_args: Tinit_func_args, next_func_other_args: '
        'Tnext_func_args, finalize_func_other_args: Tfinalize_func_args -> '
        'handle: variant | init_func: func; next_func: func; finalize_func: '
        'func; Tinit_func_args: list(type); Tnext_func_args: list(type); '
        'Tfinalize_func_args: list(type); output_types: list(type); '
        "output_shapes: list(shape); metadata: string = ''"),
    'GetSessionHandle': 'value: T -> handle: string | T: type',
    'GetSessionHandleV2': 'value: T -> handle: resource | T: type',
    'GetSessionTensor': 'handle: string -> value: dtype | dtype: type',
    'Greater': 'x: T, y: T -> z: bool | T: type',
    'GreaterEqual': 'x: T, y: T -> z: bool | T: type',
    'GroupByReducerDataset': (
        'input_dataset: variant, key_func_other_arguments: '
        'Tkey_func_other_arguments, init_func_other_arguments: '
        'Tinit_func_other_arguments, reduce_func_other_arguments: '
        'Treduce_func_other_arguments, finalize_func_other_arguments: '
        'Tfinalize_func_other_arguments -> handle: variant | key_func: '
        'func; init_func: func; reduce_func: func; finalize_func: func; '
        'Tkey_func_other_arguments: list(type); '
        'Tinit_func_other_arguments: list(type); '
        'Treduce_func_other_arguments: list(type); '
        'Tfinalize_func_other_arguments: list(type); output_types: '
        'list(type); output_shapes: list(shape)'),
    'GroupByWindowDataset': (
        'input_dataset: variant, key_func_other_arguments: '
        'Tkey_func_other_arguments, reduce_func_other_arguments: '
        'Treduce_func_other_arguments, window_size_func_other_arguments: '
        'Twindow_size_func_other_arguments -> handle: variant | key_func:'
        ' func; reduce_func: func; window_size_func: func; '
        'Tkey_func_other_arguments: list(type); '
        'Treduce_func_other_arguments: list(type); '
        'Twindow_size_func_other_arguments: list(type); output_types: '
        "list(type); output_shapes: list(shape); metadata: string = ''"),
    'GuaranteeConst': 'input: T -> output: T | T: type',
    'HSVToRGB': "images: T -> output: T | T: type = 'float32'",
    'HashTableV2': (
        " -> table_handle: resource | container: string = ''; shared_name: string "
        "= ''; use_node_name_sharing: bool = False; key_dtype: type; value_dtype: "
        'type'),
    'HistogramFixedWidth': (
        'values: T, value_range: T, nbins: int32 -> out: dtype | T: type; '
        "dtype: type = 'int32'"),
    'HistogramSummary': "tag: string, values: T -> summary: string | T: type = 'float32'",
    'IFFT': "input: Tcomplex -> output: Tcomplex | Tcomplex: type = 'complex64'",
    'IFFT2D': "input: Tcomplex -> output: Tcomplex | Tcomplex: type = 'complex64'",
    'IFFT3D': "input: Tcomplex -> output: Tcomplex | Tcomplex: type = 'complex64'",
    'IRFFT': (
        "input: Tcomplex, fft_length: int32 -> output: Treal | Treal: type = 'float32'; "
        "Tcomplex: type = 'complex64'"),
    'Identity': 'input: T -> output: T | T: type',
    'IdentityN': 'input: T -> output: T | T: list(type)',
    'IdentityReaderV2': (
        " -> reader_handle: resource | container: string = ''; shared_name: "
        "string = ''"),
    'Igamma': 'a: T, x: T -> z: T | T: type',
    'IgammaGradA': 'a: T, x: T -> z: T | T: type',
    'Igammac': 'a: T, x: T -> z: T | T: type',
    'IgnoreErrorsDataset': (
        'input_dataset: variant -> handle: variant | output_types: '
        'list(type); output_shapes: list(shape); log_warning: bool = False'),
    'Imag': "input: T -> output: Tout | T: type = 'complex64'; Tout: type = 'float32'",
    'ImageProjectiveTransformV2': (
        'images: dtype, transforms: float32, output_shape: int32 ->'
        ' transformed_images: dtype | dtype: type; interpolation: '
        "string; fill_mode: string = 'CONSTANT'"),
    'ImageSummary': (
        'tag: string, tensor: T -> summary: string | max_images: int = 3; T: type'
        " = 'float32'; bad_color: tensor"),
    'InTopKV2': (
        'predictions: float32, targets: T, k: T -> precision: bool | T: type = '
        "'int32'"),
    'InitializeTableFromTextFileV2': (
        'table_handle: resource, filename: string ->  | '
        'key_index: int; value_index: int; vocab_size: int = -1;'
        " delimiter: string = '\\t'; offset: int = 0"),
    'InitializeTableV2': (
        'table_handle: resource, keys: Tkey, values: Tval ->  | Tkey: type; '
        'Tval: type'),
    'InterleaveDataset': (
        'input_dataset: variant, other_arguments: Targuments, cycle_length: '
        'int64, block_length: int64 -> handle: variant | f: func; '
        'Targuments: list(type); output_types: list(type); output_shapes: '
        "list(shape); metadata: string = ''"),
    'Invert': 'x: T -> y: T | T: type',
    'InvertPermutation': "x: T -> y: T | T: type = 'int32'",
    'IsFinite': 'x: T -> y: bool | T: type',
    'IsInf': 'x: T -> y: bool | T: type',
    'IsNan': 'x: T -> y: bool | T: type',
    'IsVariableInitialized': 'ref: Ref(dtype) -> is_initialized: bool | dtype: type',
    'IteratorFromStringHandleV2': (
        'string_handle: string -> resource_handle: resource | '
        'output_types: list(type) = []; output_shapes: list(shape) '
        '= []'),
    'IteratorGetNext': (
        'iterator: resource -> components: output_types | output_types: '
        'list(type); output_shapes: list(shape)'),
    'IteratorGetNextAsOptional': (
        'iterator: resource -> optional: variant | output_types: '
        'list(type); output_shapes: list(shape)'),
    'IteratorToStringHandle': 'resource_handle: resource -> string_handle: string | ',
    'IteratorV2': (
        ' -> handle: resource | shared_name: string; container: string; '
        'output_types: list(type); output_shapes: list(shape)'),
    'KMC2ChainInitialization': 'distances: float32, seed: int64 -> index: int64 | ',
    'KmeansPlusPlusInitialization': (
        'points: float32, num_to_sample: int64, seed: int64, '
        'num_retries_per_sample: int64 -> samples: float32 | '),
    'L2Loss': 't: T -> output: T | T: type',
    'LRN': (
        'input: T -> output: T | depth_radius: int = 5; bias: float = 1.0; alpha: float = '
        "1.0; beta: float = 0.5; T: type = 'float32'"),
    'LRNGrad': (
        'input_grads: T, input_image: T, output_image: T -> output: T | depth_radius: '
        'int = 5; bias: float = 1.0; alpha: float = 1.0; beta: float = 0.5; T: type = '
        "'float32'"),
    'LeakyRelu': (
        'features: T -> activations: T | alpha: float = 0.20000000298023224; T: type'
        " = 'float32'"),
    'LeakyReluGrad': (
        'gradients: T, features: T -> backprops: T | alpha: float = '
        "0.20000000298023224; T: type = 'float32'"),
    'LearnedUnigramCandidateSampler': (
        'true_classes: int64 -> sampled_candidates: int64, '
        'true_expected_count: float32, sampled_expected_count: '
        'float32 | num_true: int; num_sampled: int; unique: '
        'bool; range_max: int; seed: int = 0; seed2: int = 0'),
    'LeftShift': 'x: T, y: T -> z: T | T: type',
    'Less': 'x: T, y: T -> z: bool | T: type',
    'LessEqual': 'x: T, y: T -> z: bool | T: type',
    'Lgamma': 'x: T -> y: T | T: type',
    'LinSpace': "start: T, stop: T, num: Tidx -> output: T | T: type; Tidx: type = 'int32'",
    'ListDiff': "x: T, y: T -> out: T, idx: out_idx | T: type; out_idx: type = 'int32'",
    'Log': 'x: T -> y: T | T: type',
    'Log1p': 'x: T -> y: T | T: type',
    'LogMatrixDeterminant': 'input: T -> sign: T, log_abs_determinant: T | T: type',
    'LogSoftmax': 'logits: T -> logsoftmax: T | T: type',
    'LogUniformCandidateSampler': (
        'true_classes: int64 -> sampled_candidates: int64, '
        'true_expected_count: float32, sampled_expected_count: '
        'float32 | num_true: int; num_sampled: int; unique: bool; '
        'range_max: int; seed: int = 0; seed2: int = 0'),
    'LogicalAnd': 'x: bool, y: bool -> z: bool | ',
    'LogicalNot': 'x: bool -> y: bool | ',
    'LogicalOr': 'x: bool, y: bool -> z: bool | ',
    'LookupTableExportV2': (
        'table_handle: resource -> keys: Tkeys, values: Tvalues | Tkeys: '
        'type; Tvalues: type'),
    'LookupTableFindV2': (
        'table_handle: resource, keys: Tin, default_value: Tout -> values: '
        'Tout | Tin: type; Tout: type'),
    'LookupTableInsertV2': (
        'table_handle: resource, keys: Tin, values: Tout ->  | Tin: type; '
        'Tout: type'),
    'LookupTableRemoveV2': 'table_handle: resource, keys: Tin ->  | Tin: type',
    'LookupTableSizeV2': 'table_handle: resource -> size: int64 | ',
    'LoopCond': 'input: bool -> output: bool | ',
    'LowerBound': (
        'sorted_inputs: T, values: T -> output: out_type | T: type; out_type: type '
        "= 'int32'"),
    'Lu': "input: T -> lu: T, p: output_idx_type | T: type; output_idx_type: type = 'int32'",
    'MakeIterator': 'dataset: variant, iterator: resource ->  | ',
    'MapAndBatchDataset': (
        'input_dataset: variant, other_arguments: Targuments, batch_size: '
        'int64, num_parallel_calls: int64, drop_remainder: bool -> handle: '
        'variant | f: func; Targuments: list(type); output_types: '
        'list(type); output_shapes: list(shape); preserve_cardinality: bool'
        " = False; metadata: string = ''"),
    'MapDataset': (
        'input_dataset: variant, other_arguments: Targuments -> handle: variant | '
        'f: func; Targuments: list(type); output_types: list(type); output_shapes: '
        'list(shape); use_inter_op_parallelism: bool = True; preserve_cardinality: '
        "bool = False; force_synchronous: bool = False; metadata: string = ''"),
    'MatMul': (
        'a: T, b: T -> product: T | transpose_a: bool = False; transpose_b: bool = '
        'False; T: type; grad_a: bool = False; grad_b: bool = False'),
    'MatchingFiles': 'pattern: string -> filenames: string | ',
    'MatrixBandPart': (
        'input: T, num_lower: Tindex, num_upper: Tindex -> band: T | T: type; '
        "Tindex: type = 'int64'"),
    'MatrixDeterminant': 'input: T -> output: T | T: type',
    'MatrixDiag': 'diagonal: T -> output: T | T: type',
    'MatrixDiagPart': 'input: T -> diagonal: T | T: type',
    'MatrixExponential': 'input: T -> output: T | T: type',
    'MatrixInverse': 'input: T -> output: T | adjoint: bool = False; T: type',
    'MatrixSetDiag': 'input: T, diagonal: T -> output: T | T: type',
    'MatrixSolve': 'matrix: T, rhs: T -> output: T | adjoint: bool = False; T: type',
    'MatrixSolveLs': (
        'matrix: T, rhs: T, l2_regularizer: float64 -> output: T | T: type; '
        'fast: bool = True'),
    'MatrixSquareRoot': 'input: T -> output: T | T: type',
    'MatrixTriangularSolve': (
        'matrix: T, rhs: T -> output: T | lower: bool = True; adjoint: '
        'bool = False; T: type'),
    'Max': (
        'input: T, reduction_indices: Tidx -> output: T | keep_dims: bool = False; T: '
        "type; Tidx: type = 'int32'"),
    'MaxPool': (
        "input: T -> output: T | T: type = 'float32'; ksize: list(int); strides: "
        'list(int); padding: string; explicit_paddings: list(int) = []; data_format: '
        "string = 'NHWC'"),
    'MaxPool3D': (
        'input: T -> output: T | ksize: list(int); strides: list(int); padding: '
        "string; data_format: string = 'NDHWC'; T: type"),
    'MaxPool3DGrad': (
        'orig_input: TInput, orig_output: TInput, grad: T -> output: T | ksize: '
        'list(int); strides: list(int); padding: string; data_format: string = '
        "'NDHWC'; T: type = 'float32'; TInput: type = 'float32'"),
    'MaxPool3DGradGrad': (
        'orig_input: T, orig_output: T, grad: T -> output: T | ksize: '
        'list(int); strides: list(int); padding: string; data_format: string'
        " = 'NDHWC'; T: type"),
    'MaxPoolGrad': (
        'orig_input: T, orig_output: T, grad: T -> output: T | ksize: list(int); '
        'strides: list(int); padding: string; explicit_paddings: list(int) = []; '
        "data_format: string = 'NHWC'; T: type = 'float32'"),
    'MaxPoolGradGrad': (
        'orig_input: T, orig_output: T, grad: T -> output: T | ksize: '
        'list(int); strides: list(int); padding: string; data_format: string ='
        " 'NHWC'; T: type"),
    'MaxPoolGradWithArgmax': (
        'input: T, grad: T, argmax: Targmax -> output: T | ksize: '
        'list(int); strides: list(int); padding: string; '
        'include_batch_in_index: bool = False; Targmax: type; T: type'),
    'MaxPoolWithArgmax': (
        'input: T -> output: T, argmax: Targmax | ksize: list(int); strides:'
        " list(int); Targmax: type = 'int64'; padding: string; "
        'include_batch_in_index: bool = False; T: type'),
    'Maximum': 'x: T, y: T -> z: T | T: type',
    'Mean': (
        'input: T, reduction_indices: Tidx -> output: T | keep_dims: bool = False; T: '
        "type; Tidx: type = 'int32'"),
    'Merge': 'inputs: N * T -> output: T, value_index: int32 | T: type; N: int',
    'MergeSummary': 'inputs: N * string -> summary: string | N: int',
    'MergeV2Checkpoints': (
        'checkpoint_prefixes: string, destination_prefix: string ->  | '
        'delete_old_dirs: bool = True; allow_missing_files: bool = False'),
    'Mfcc': (
        'spectrogram: float32, sample_rate: int32 -> output: float32 | '
        'upper_frequency_limit: float = 4000.0; lower_frequency_limit: float = 20.0; '
        'filterbank_channel_count: int = 40; dct_coefficient_count: int = 13'),
    'Min': (
        'input: T, reduction_indices: Tidx -> output: T | keep_dims: bool = False; T: '
        "type; Tidx: type = 'int32'"),
    'Minimum': 'x: T, y: T -> z: T | T: type',
    'MirrorPad': (
        'input: T, paddings: Tpaddings -> output: T | T: type; Tpaddings: type = '
        "'int32'; mode: string"),
    'MirrorPadGrad': (
        'input: T, paddings: Tpaddings -> output: T | T: type; Tpaddings: type ='
        " 'int32'; mode: string"),
    'Mul': 'x: T, y: T -> z: T | T: type',
    'Multinomial': (
        'logits: T, num_samples: int32 -> output: output_dtype | seed: int = 0; '
        "seed2: int = 0; T: type; output_dtype: type = 'int64'"),
    'MutableHashTableV2': (
        " -> table_handle: resource | container: string = ''; shared_name: "
        "string = ''; use_node_name_sharing: bool = False; key_dtype: type;"
        ' value_dtype: type'),
    'NearestNeighbors': (
        'points: float32, centers: float32, k: int64 -> '
        'nearest_center_indices: int64, nearest_center_distances: float32 | '),
    'Neg': 'x: T -> y: T | T: type',
    'NextIteration': 'data: T -> output: T | T: type',
    'NoOp': ' ->  | ',
    'NonMaxSuppression': (
        'boxes: float32, scores: float32, max_output_size: int32 -> '
        'selected_indices: int32 | iou_threshold: float = 0.5'),
    'NonMaxSuppressionV2': (
        'boxes: T, scores: T, max_output_size: int32, iou_threshold: '
        "T_threshold -> selected_indices: int32 | T: type = 'float32'; "
        "T_threshold: type = 'float32'"),
    'NonMaxSuppressionV3': (
        'boxes: T, scores: T, max_output_size: int32, iou_threshold: '
        'T_threshold, score_threshold: T_threshold -> selected_indices: '
        "int32 | T: type = 'float32'; T_threshold: type = 'float32'"),
    'NonMaxSuppressionV4': (
        'boxes: T, scores: T, max_output_size: int32, iou_threshold: '
        'T_threshold, score_threshold: T_threshold -> selected_indices: '
        "int32, valid_outputs: int32 | T: type = 'float32'; T_threshold: "
        "type = 'float32'; pad_to_max_output_size: bool = False"),
    'NonMaxSuppressionWithOverlaps': (
        'overlaps: float32, scores: float32, max_output_size: '
        'int32, overlap_threshold: float32, score_threshold: '
        'float32 -> selected_indices: int32 | '),
    'NotEqual': 'x: T, y: T -> z: bool | T: type; incompatible_shape_error: bool = True',
    'OneHot': (
        'indices: TI, depth: int32, on_value: T, off_value: T -> output: T | axis: int '
        "= -1; T: type; TI: type = 'int64'"),
    'OneShotIterator': (
        ' -> handle: resource | dataset_factory: func; output_types: '
        "list(type); output_shapes: list(shape); container: string = ''; "
        "shared_name: string = ''"),
    'OnesLike': 'x: T -> y: T | T: type',
    'OptionalFromValue': (
        'components: Toutput_types -> optional: variant | Toutput_types: '
        'list(type)'),
    'OptionalGetValue': (
        'optional: variant -> components: output_types | output_types: '
        'list(type); output_shapes: list(shape)'),
    'OptionalHasValue': 'optional: variant -> has_value: bool | ',
    'OptionalNone': ' -> optional: variant | ',
    'Pack': 'values: N * T -> output: T | N: int; T: type; axis: int = 0',
    'Pad': "input: T, paddings: Tpaddings -> output: T | T: type; Tpaddings: type = 'int32'",
    'PadV2': (
        'input: T, paddings: Tpaddings, constant_values: T -> output: T | T: type; '
        "Tpaddings: type = 'int32'"),
    'PaddedBatchDatasetV2': (
        'input_dataset: variant, batch_size: int64, padded_shapes: N * '
        'int64, padding_values: Toutput_types, drop_remainder: bool -> '
        'handle: variant | parallel_copy: bool = False; Toutput_types: '
        'list(type); output_shapes: list(shape); N: int; metadata: string'
        " = ''"),
    'PaddingFIFOQueueV2': (
        ' -> handle: resource | component_types: list(type); shapes: '
        "list(shape) = []; capacity: int = -1; container: string = ''; "
        "shared_name: string = ''"),
    'ParallelDynamicStitch': 'indices: N * int32, data: N * T -> merged: T | N: int; T: type',
    'ParallelInterleaveDataset': (
        'input_dataset: variant, other_arguments: Targuments, '
        'cycle_length: int64, block_length: int64, sloppy: bool, '
        'buffer_output_elements: int64, prefetch_input_elements: '
        'int64 -> handle: variant | f: func; Targuments: list(type);'
        ' output_types: list(type); output_shapes: list(shape); '
        "metadata: string = ''"),
    'ParseExample': (
        'serialized: string, names: string, sparse_keys: Nsparse * string, '
        'dense_keys: Ndense * string, dense_defaults: Tdense -> sparse_indices: '
        'Nsparse * int64, sparse_values: sparse_types, sparse_shapes: Nsparse * '
        'int64, dense_values: Tdense | Nsparse: int; Ndense: int; sparse_types: '
        'list(type); Tdense: list(type); dense_shapes: list(shape)'),
    'ParseSequenceExample': (
        'serialized: string, debug_name: string, context_dense_defaults: '
        'Tcontext_dense -> context_sparse_indices: Ncontext_sparse * '
        'int64, context_sparse_values: context_sparse_types, '
        'context_sparse_shapes: Ncontext_sparse * int64, '
        'context_dense_values: Tcontext_dense, '
        'feature_list_sparse_indices: Nfeature_list_sparse * int64, '
        'feature_list_sparse_values: feature_list_sparse_types, '
        'feature_list_sparse_shapes: Nfeature_list_sparse * int64, '
        'feature_list_dense_values: feature_list_dense_types, '
        'feature_list_dense_lengths: Nfeature_list_dense * int64 | '
        'feature_list_dense_missing_assumed_empty: list(string); '
        'context_sparse_keys: list(string); context_dense_keys: '
        'list(string); feature_list_sparse_keys: list(string); '
        'feature_list_dense_keys: list(string); Ncontext_sparse: int = 0;'
        ' Ncontext_dense: int = 0; Nfeature_list_sparse: int = 0; '
        'Nfeature_list_dense: int = 0; context_sparse_types: list(type) ='
        ' []; Tcontext_dense: list(type) = []; feature_list_dense_types: '
        'list(type) = []; context_dense_shapes: list(shape) = []; '
        'feature_list_sparse_types: list(type) = []; '
        'feature_list_dense_shapes: list(shape) = []'),
    'ParseSingleExample': (
        'serialized: string, dense_defaults: Tdense -> sparse_indices: '
        'num_sparse * int64, sparse_values: sparse_types, sparse_shapes: '
        'num_sparse * int64, dense_values: Tdense | num_sparse: int; '
        'sparse_keys: list(string); dense_keys: list(string); sparse_types:'
        ' list(type); Tdense: list(type); dense_shapes: list(shape)'),
    'ParseSingleSequenceExample': (
        'serialized: string, '
        'feature_list_dense_missing_assumed_empty: string, '
        'context_sparse_keys: Ncontext_sparse * string, '
        'context_dense_keys: Ncontext_dense * string, '
        'feature_list_sparse_keys: Nfeature_list_sparse * string, '
        'feature_list_dense_keys: Nfeature_list_dense * string, '
        'context_dense_defaults: Tcontext_dense, debug_name: string'
        ' -> context_sparse_indices: Ncontext_sparse * int64, '
        'context_sparse_values: context_sparse_types, '
        'context_sparse_shapes: Ncontext_sparse * int64, '
        'context_dense_values: Tcontext_dense, '
        'feature_list_sparse_indices: Nfeature_list_sparse * int64,'
        ' feature_list_sparse_values: feature_list_sparse_types, '
        'feature_list_sparse_shapes: Nfeature_list_sparse * int64, '
        'feature_list_dense_values: feature_list_dense_types | '
        'Ncontext_sparse: int = 0; Ncontext_dense: int = 0; '
        'Nfeature_list_sparse: int = 0; Nfeature_list_dense: int = '
        '0; context_sparse_types: list(type) = []; Tcontext_dense: '
        'list(type) = []; feature_list_dense_types: list(type) = '
        '[]; context_dense_shapes: list(shape) = []; '
        'feature_list_sparse_types: list(type) = []; '
        'feature_list_dense_shapes: list(shape) = []'),
    'ParseTensor': 'serialized: string -> output: out_type | out_type: type',
    'Placeholder': ' -> output: dtype | dtype: type; shape: shape = None',
    'PlaceholderWithDefault': 'input: dtype -> output: dtype | dtype: type; shape: shape',
    'Polygamma': 'a: T, x: T -> z: T | T: type',
    'Pow': 'x: T, y: T -> z: T | T: type',
    'PrefetchDataset': (
        'input_dataset: variant, buffer_size: int64 -> handle: variant | '
        'output_types: list(type); output_shapes: list(shape); slack_period: '
        'int = 0; legacy_autotune: bool = True; buffer_size_min: int = 0; '
        "metadata: string = ''"),
    'Print': (
        "input: T, data: U -> output: T | T: type; U: list(type); message: string = ''; "
        'first_n: int = -1; summarize: int = 3'),
    'PrintV2': "input: string ->  | output_stream: string = 'stderr'; end: string = '\\n'",
    'PriorityQueueV2': (
        ' -> handle: resource | component_types: list(type) = []; shapes: '
        "list(shape); capacity: int = -1; container: string = ''; shared_name:"
        " string = ''"),
    'Prod': (
        'input: T, reduction_indices: Tidx -> output: T | keep_dims: bool = False; T: '
        "type; Tidx: type = 'int32'"),
    'PyFunc': 'input: Tin -> output: Tout | token: string; Tin: list(type); Tout: list(type)',
    'PyFuncStateless': (
        'input: Tin -> output: Tout | token: string; Tin: list(type); Tout: '
        'list(type)'),
    'Qr': 'input: T -> q: T, r: T | full_matrices: bool = False; T: type',
    'QueueCloseV2': 'handle: resource ->  | cancel_pending_enqueues: bool = False',
    'QueueDequeueManyV2': (
        'handle: resource, n: int32 -> components: component_types | '
        'component_types: list(type); timeout_ms: int = -1'),
    'QueueDequeueUpToV2': (
        'handle: resource, n: int32 -> components: component_types | '
        'component_types: list(type); timeout_ms: int = -1'),
    'QueueDequeueV2': (
        'handle: resource -> components: component_types | component_types: '
        'list(type); timeout_ms: int = -1'),
    'QueueEnqueueManyV2': (
        'handle: resource, components: Tcomponents ->  | Tcomponents: '
        'list(type); timeout_ms: int = -1'),
    'QueueEnqueueV2': (
        'handle: resource, components: Tcomponents ->  | Tcomponents: '
        'list(type); timeout_ms: int = -1'),
    'QueueSizeV2': 'handle: resource -> size: int32 | ',
    'RFFT': (
        "input: Treal, fft_length: int32 -> output: Tcomplex | Treal: type = 'float32'; "
        "Tcomplex: type = 'complex64'"),
    'RGBToHSV': "images: T -> output: T | T: type = 'float32'",
    'RandomDataset': (
        'seed: int64, seed2: int64 -> handle: variant | output_types: '
        "list(type); output_shapes: list(shape); metadata: string = ''"),
    'RandomGamma': (
        'shape: S, alpha: T -> output: T | seed: int = 0; seed2: int = 0; S: type;'
        ' T: type'),
    'RandomGammaGrad': 'alpha: T, sample: T -> output: T | T: type',
    'RandomPoissonV2': (
        'shape: S, rate: R -> output: dtype | seed: int = 0; seed2: int = 0; '
        "S: type; R: type = 'float64'; dtype: type = 'int64'"),
    'RandomShuffle': 'value: T -> output: T | seed: int = 0; seed2: int = 0; T: type',
    'RandomShuffleQueueV2': (
        ' -> handle: resource | component_types: list(type); shapes: '
        'list(shape) = []; capacity: int = -1; min_after_dequeue: int = '
        "0; seed: int = 0; seed2: int = 0; container: string = ''; "
        "shared_name: string = ''"),
    'RandomStandardNormal': (
        'shape: T -> output: dtype | seed: int = 0; seed2: int = 0; '
        'dtype: type; T: type'),
    'RandomUniform': (
        'shape: T -> output: dtype | seed: int = 0; seed2: int = 0; dtype: type;'
        ' T: type'),
    'RandomUniformInt': (
        'shape: T, minval: Tout, maxval: Tout -> output: Tout | seed: int = '
        '0; seed2: int = 0; Tout: type; T: type'),
    'Range': "start: Tidx, limit: Tidx, delta: Tidx -> output: Tidx | Tidx: type = 'int32'",
    'RangeDataset': (
        'start: int64, stop: int64, step: int64 -> handle: variant | '
        'output_types: list(type); output_shapes: list(shape); metadata: string ='
        " ''; replicate_on_split: bool = False"),
    'Rank': 'input: T -> output: int32 | T: type',
    'ReadFile': 'filename: string -> contents: string | ',
    'ReaderNumRecordsProducedV2': 'reader_handle: resource -> records_produced: int64 | ',
    'ReaderReadUpToV2': (
        'reader_handle: resource, queue_handle: resource, num_records: int64 '
        '-> keys: string, values: string | '),
    'ReaderReadV2': (
        'reader_handle: resource, queue_handle: resource -> key: string, value: '
        'string | '),
    'Real': "input: T -> output: Tout | T: type = 'complex64'; Tout: type = 'float32'",
    'RealDiv': 'x: T, y: T -> z: T | T: type',
    'Reciprocal': 'x: T -> y: T | T: type',
    'ReciprocalGrad': 'y: T, dy: T -> z: T | T: type',
    'ReduceDataset': (
        'input_dataset: variant, initial_state: Tstate, other_arguments: '
        'Targuments -> components: output_types | f: func; Tstate: list(type); '
        'Targuments: list(type); output_types: list(type); output_shapes: '
        'list(shape); use_inter_op_parallelism: bool = True; metadata: string = '
        "''"),
    'ReduceJoin': (
        'inputs: string, reduction_indices: int32 -> output: string | keep_dims: '
        "bool = False; separator: string = ''"),
    'RefEnter': (
        'data: Ref(T) -> output: Ref(T) | T: type; frame_name: string; is_constant: '
        'bool = False; parallel_iterations: int = 10'),
    'RefSwitch': (
        'data: Ref(T), pred: bool -> output_false: Ref(T), output_true: Ref(T) | T: '
        'type'),
    'RegexFullMatch': 'input: string, pattern: string -> output: bool | ',
    'RegexReplace': (
        'input: string, pattern: string, rewrite: string -> output: string | '
        'replace_global: bool = True'),
    'Relu': 'features: T -> activations: T | T: type',
    'Relu6': 'features: T -> activations: T | T: type',
    'Relu6Grad': 'gradients: T, features: T -> backprops: T | T: type',
    'ReluGrad': 'gradients: T, features: T -> backprops: T | T: type',
    'RepeatDataset': (
        'input_dataset: variant, count: int64 -> handle: variant | output_types:'
        " list(type); output_shapes: list(shape); metadata: string = ''"),
    'Reshape': "tensor: T, shape: Tshape -> output: T | T: type; Tshape: type = 'int32'",
    'ResizeArea': (
        'images: T, size: int32 -> resized_images: float32 | T: type; '
        'align_corners: bool = False'),
    'ResizeBicubic': (
        'images: T, size: int32 -> resized_images: float32 | T: type; '
        'align_corners: bool = False; half_pixel_centers: bool = False'),
    'ResizeBicubicGrad': (
        'grads: float32, original_image: T -> output: T | T: type; '
        'align_corners: bool = False; half_pixel_centers: bool = False'),
    'ResizeBilinear': (
        'images: T, size: int32 -> resized_images: float32 | T: type; '
        'align_corners: bool = False; half_pixel_centers: bool = False'),
    'ResizeBilinearGrad': (
        'grads: float32, original_image: T -> output: T | T: type; '
        'align_corners: bool = False; half_pixel_centers: bool = False'),
    'ResizeNearestNeighbor': (
        'images: T, size: int32 -> resized_images: T | T: type; '
        'align_corners: bool = False; half_pixel_centers: bool = False'),
    'ResizeNearestNeighborGrad': (
        'grads: T, size: int32 -> output: T | T: type; '
        'align_corners: bool = False; half_pixel_centers: bool = '
        'False'),
    'ResourceAccumulatorApplyGradient': (
        'handle: resource, local_step: int64, gradient: dtype'
        ' ->  | dtype: type'),
    'ResourceAccumulatorNumAccumulated': 'handle: resource -> num_accumulated: int32 | ',
    'ResourceAccumulatorSetGlobalStep': 'handle: resource, new_global_step: int64 ->  | ',
    'ResourceAccumulatorTakeGradient': (
        'handle: resource, num_required: int32 -> average: '
        'dtype | dtype: type'),
    'ResourceConditionalAccumulator': (
        ' -> handle: resource | dtype: type; shape: shape; '
        "container: string = ''; shared_name: string = ''; "
        "reduction_type: string = 'MEAN'"),
    'RestoreV2': (
        'prefix: string, tensor_names: string, shape_and_slices: string -> tensors: '
        'dtypes | dtypes: list(type)'),
    'ReverseSequence': (
        'input: T, seq_lengths: Tlen -> output: T | seq_dim: int; batch_dim: '
        "int = 0; T: type; Tlen: type = 'int64'"),
    'ReverseV2': "tensor: T, axis: Tidx -> output: T | Tidx: type = 'int32'; T: type",
    'RightShift': 'x: T, y: T -> z: T | T: type',
    'Rint': 'x: T -> y: T | T: type',
    'RngSkip': 'resource: resource, algorithm: int64, delta: int64 ->  | ',
    'Roll': (
        'input: T, shift: Tshift, axis: Taxis -> output: T | T: type; Tshift: type; '
        'Taxis: type'),
    'Round': 'x: T -> y: T | T: type',
    'Rsqrt': 'x: T -> y: T | T: type',
    'RsqrtGrad': 'y: T, dy: T -> z: T | T: type',
    'SampleDistortedBoundingBoxV2': (
        'image_size: T, bounding_boxes: float32, '
        'min_object_covered: float32 -> begin: T, size: T, '
        'bboxes: float32 | T: type; seed: int = 0; seed2: int = '
        '0; aspect_ratio_range: list(float) = [0.75, '
        '1.3300000429153442]; area_range: list(float) = '
        '[0.05000000074505806, 1.0]; max_attempts: int = 100; '
        'use_image_if_no_bounding_boxes: bool = False'),
    'SaveV2': (
        'prefix: string, tensor_names: string, shape_and_slices: string, tensors: '
        'dtypes ->  | dtypes: list(type)'),
    'ScalarSummary': 'tags: string, values: T -> summary: string | T: type',
    'ScanDataset': (
        'input_dataset: variant, initial_state: Tstate, other_arguments: '
        'Targuments -> handle: variant | f: func; Tstate: list(type); Targuments: '
        'list(type); output_types: list(type); output_shapes: list(shape); '
        'preserve_cardinality: bool = False; use_default_device: bool = True; '
        "metadata: string = ''"),
    'ScatterAdd': (
        'ref: Ref(T), indices: Tindices, updates: T -> output_ref: Ref(T) | T: '
        'type; Tindices: type; use_locking: bool = False'),
    'ScatterDiv': (
        'ref: Ref(T), indices: Tindices, updates: T -> output_ref: Ref(T) | T: '
        'type; Tindices: type; use_locking: bool = False'),
    'ScatterMax': (
        'ref: Ref(T), indices: Tindices, updates: T -> output_ref: Ref(T) | T: '
        'type; Tindices: type; use_locking: bool = False'),
    'ScatterMin': (
        'ref: Ref(T), indices: Tindices, updates: T -> output_ref: Ref(T) | T: '
        'type; Tindices: type; use_locking: bool = False'),
    'ScatterMul': (
        'ref: Ref(T), indices: Tindices, updates: T -> output_ref: Ref(T) | T: '
        'type; Tindices: type; use_locking: bool = False'),
    'ScatterNd': (
        'indices: Tindices, updates: T, shape: Tindices -> output: T | T: type; '
        "Tindices: type; bad_indices_policy: string = ''"),
    'ScatterNdAdd': (
        'ref: Ref(T), indices: Tindices, updates: T -> output_ref: Ref(T) | T: '
        'type; Tindices: type; use_locking: bool = False; bad_indices_policy: '
        "string = ''"),
    'ScatterNdSub': (
        'ref: Ref(T), indices: Tindices, updates: T -> output_ref: Ref(T) | T: '
        'type; Tindices: type; use_locking: bool = False; bad_indices_policy: '
        "string = ''"),
    'ScatterNdUpdate': (
        'ref: Ref(T), indices: Tindices, updates: T -> output_ref: Ref(T) | T:'
        ' type; Tindices: type; use_locking: bool = True; bad_indices_policy: '
        "string = ''"),
    'ScatterSub': (
        'ref: Ref(T), indices: Tindices, updates: T -> output_ref: Ref(T) | T: '
        'type; Tindices: type; use_locking: bool = False'),
    'ScatterUpdate': (
        'ref: Ref(T), indices: Tindices, updates: T -> output_ref: Ref(T) | T: '
        'type; Tindices: type; use_locking: bool = True'),
    'SegmentMax': 'data: T, segment_ids: Tindices -> output: T | T: type; Tindices: type',
    'SegmentMean': 'data: T, segment_ids: Tindices -> output: T | T: type; Tindices: type',
    'SegmentMin': 'data: T, segment_ids: Tindices -> output: T | T: type; Tindices: type',
    'SegmentProd': 'data: T, segment_ids: Tindices -> output: T | T: type; Tindices: type',
    'SegmentSum': 'data: T, segment_ids: Tindices -> output: T | T: type; Tindices: type',
    'Select': 'condition: bool, t: T, e: T -> output: T | T: type',
    'SelectV2': 'condition: bool, t: T, e: T -> output: T | T: type',
    'SelfAdjointEigV2': 'input: T -> e: T, v: T | compute_v: bool = True; T: type',
    'Selu': 'features: T -> activations: T | T: type',
    'SeluGrad': 'gradients: T, outputs: T -> backprops: T | T: type',
    'SerializeManySparse': (
        'sparse_indices: int64, sparse_values: T, sparse_shape: int64 -> '
        "serialized_sparse: out_type | T: type; out_type: type = 'string'"),
    'SerializeSparse': (
        'sparse_indices: int64, sparse_values: T, sparse_shape: int64 -> '
        "serialized_sparse: out_type | T: type; out_type: type = 'string'"),
    'SerializeTensor': 'tensor: T -> serialized: string | T: type',
    'SetSize': (
        'set_indices: int64, set_values: T, set_shape: int64 -> size: int32 | '
        'validate_indices: bool = True; T: type'),
    'Shape': "input: T -> output: out_type | T: type; out_type: type = 'int32'",
    'ShapeN': (
        'input: N * T -> output: N * out_type | N: int; T: type; out_type: type = '
        "'int32'"),
    'ShardDataset': (
        'input_dataset: variant, num_shards: int64, index: int64 -> handle: '
        'variant | require_non_empty: bool = False; output_types: list(type); '
        "output_shapes: list(shape); metadata: string = ''"),
    'ShardedFilename': (
        'basename: string, shard: int32, num_shards: int32 -> filename: string'
        ' | '),
    'ShuffleAndRepeatDataset': (
        'input_dataset: variant, buffer_size: int64, seed: int64, '
        'seed2: int64, count: int64 -> handle: variant | output_types:'
        ' list(type); output_shapes: list(shape); '
        "reshuffle_each_iteration: bool = True; metadata: string = ''"),
    'ShuffleDataset': (
        'input_dataset: variant, buffer_size: int64, seed: int64, seed2: int64 '
        '-> handle: variant | reshuffle_each_iteration: bool = True; '
        'output_types: list(type); output_shapes: list(shape); metadata: string'
        " = ''"),
    'Sigmoid': 'x: T -> y: T | T: type',
    'SigmoidGrad': 'y: T, dy: T -> z: T | T: type',
    'Sign': 'x: T -> y: T | T: type',
    'Sin': 'x: T -> y: T | T: type',
    'Sinh': 'x: T -> y: T | T: type',
    'Size': "input: T -> output: out_type | T: type; out_type: type = 'int32'",
    'SkipDataset': (
        'input_dataset: variant, count: int64 -> handle: variant | output_types: '
        "list(type); output_shapes: list(shape); metadata: string = ''"),
    'Slice': 'input: T, begin: Index, size: Index -> output: T | T: type; Index: type',
    'Softmax': 'logits: T -> softmax: T | T: type',
    'SoftmaxCrossEntropyWithLogits': (
        'features: T, labels: T -> loss: T, backprop: T | T: '
        'type'),
    'Softplus': 'features: T -> activations: T | T: type',
    'SoftplusGrad': 'gradients: T, features: T -> backprops: T | T: type',
    'Softsign': 'features: T -> activations: T | T: type',
    'SoftsignGrad': 'gradients: T, features: T -> backprops: T | T: type',
    'SpaceToBatchND': (
        'input: T, block_shape: Tblock_shape, paddings: Tpaddings -> output: T '
        "| T: type; Tblock_shape: type = 'int32'; Tpaddings: type = 'int32'"),
    'SpaceToDepth': (
        'input: T -> output: T | T: type; block_size: int; data_format: string = '
        "'NHWC'"),
    'SparseAccumulatorApplyGradient': (
        'handle: Ref(string), local_step: int64, '
        'gradient_indices: int64, gradient_values: dtype, '
        'gradient_shape: int64 ->  | dtype: type; '
        'has_known_shape: bool'),
    'SparseAccumulatorTakeGradient': (
        'handle: Ref(string), num_required: int32 -> indices: '
        'int64, values: dtype, shape: int64 | dtype: type'),
    'SparseAdd': (
        'a_indices: int64, a_values: T, a_shape: int64, b_indices: int64, b_values: '
        'T, b_shape: int64, thresh: Treal -> sum_indices: int64, sum_values: T, '
        'sum_shape: int64 | T: type; Treal: type'),
    'SparseAddGrad': (
        'backprop_val_grad: T, a_indices: int64, b_indices: int64, sum_indices: '
        'int64 -> a_val_grad: T, b_val_grad: T | T: type'),
    'SparseApplyAdadelta': (
        'var: Ref(T), accum: Ref(T), accum_update: Ref(T), lr: T, rho: T, '
        'epsilon: T, grad: T, indices: Tindices -> out: Ref(T) | T: type; '
        'Tindices: type; use_locking: bool = False'),
    'SparseApplyAdagrad': (
        'var: Ref(T), accum: Ref(T), lr: T, grad: T, indices: Tindices -> '
        'out: Ref(T) | T: type; Tindices: type; use_locking: bool = False; '
        'update_slots: bool = True'),
    'SparseApplyAdagradDA': (
        'var: Ref(T), gradient_accumulator: Ref(T), '
        'gradient_squared_accumulator: Ref(T), grad: T, indices: '
        'Tindices, lr: T, l1: T, l2: T, global_step: int64 -> out: Ref(T)'
        ' | T: type; Tindices: type; use_locking: bool = False'),
    'SparseApplyCenteredRMSProp': (
        'var: Ref(T), mg: Ref(T), ms: Ref(T), mom: Ref(T), lr: T, '
        'rho: T, momentum: T, epsilon: T, grad: T, indices: '
        'Tindices -> out: Ref(T) | T: type; Tindices: type; '
        'use_locking: bool = False'),
    'SparseApplyFtrl': (
        'var: Ref(T), accum: Ref(T), linear: Ref(T), grad: T, indices: '
        'Tindices, lr: T, l1: T, l2: T, lr_power: T -> out: Ref(T) | T: type; '
        'Tindices: type; use_locking: bool = False; multiply_linear_by_lr: '
        'bool = False'),
    'SparseApplyFtrlV2': (
        'var: Ref(T), accum: Ref(T), linear: Ref(T), grad: T, indices: '
        'Tindices, lr: T, l1: T, l2: T, l2_shrinkage: T, lr_power: T -> out:'
        ' Ref(T) | T: type; Tindices: type; use_locking: bool = False; '
        'multiply_linear_by_lr: bool = False'),
    'SparseApplyMomentum': (
        'var: Ref(T), accum: Ref(T), lr: T, grad: T, indices: Tindices, '
        'momentum: T -> out: Ref(T) | T: type; Tindices: type; '
        'use_locking: bool = False; use_nesterov: bool = False'),
    'SparseApplyProximalAdagrad': (
        'var: Ref(T), accum: Ref(T), lr: T, l1: T, l2: T, grad: T, '
        'indices: Tindices -> out: Ref(T) | T: type; Tindices: '
        'type; use_locking: bool = False'),
    'SparseApplyProximalGradientDescent': (
        'var: Ref(T), alpha: T, l1: T, l2: T, grad: T, '
        'indices: Tindices -> out: Ref(T) | T: type; '
        'Tindices: type; use_locking: bool = False'),
    'SparseApplyRMSProp': (
        'var: Ref(T), ms: Ref(T), mom: Ref(T), lr: T, rho: T, momentum: T, '
        'epsilon: T, grad: T, indices: Tindices -> out: Ref(T) | T: type; '
        'Tindices: type; use_locking: bool = False'),
    'SparseConcat': (
        'indices: N * int64, values: N * T, shapes: N * int64 -> output_indices: '
        'int64, output_values: T, output_shape: int64 | concat_dim: int; N: int; '
        'T: type'),
    'SparseConditionalAccumulator': (
        ' -> handle: Ref(string) | dtype: type; shape: shape; '
        "container: string = ''; shared_name: string = ''; "
        "reduction_type: string = 'MEAN'"),
    'SparseCross': (
        'indices: N * int64, values: sparse_types, shapes: N * int64, '
        'dense_inputs: dense_types -> output_indices: int64, output_values: '
        'out_type, output_shape: int64 | N: int; hashed_output: bool; num_buckets:'
        ' int; hash_key: int; sparse_types: list(type); dense_types: list(type); '
        'out_type: type; internal_type: type'),
    'SparseFillEmptyRows': (
        'indices: int64, values: T, dense_shape: int64, default_value: T '
        '-> output_indices: int64, output_values: T, empty_row_indicator: '
        'bool, reverse_index_map: int64 | T: type'),
    'SparseMatMul': (
        'a: Ta, b: Tb -> product: float32 | transpose_a: bool = False; '
        'transpose_b: bool = False; a_is_sparse: bool = False; b_is_sparse: bool '
        "= False; Ta: type = 'float32'; Tb: type = 'float32'"),
    'SparseReduceMax': (
        'input_indices: int64, input_values: T, input_shape: int64, '
        'reduction_axes: int32 -> output: T | keep_dims: bool = False; T: type'),
    'SparseReduceMaxSparse': (
        'input_indices: int64, input_values: T, input_shape: int64, '
        'reduction_axes: int32 -> output_indices: int64, output_values: '
        'T, output_shape: int64 | keep_dims: bool = False; T: type'),
    'SparseReduceSum': (
        'input_indices: int64, input_values: T, input_shape: int64, '
        'reduction_axes: int32 -> output: T | keep_dims: bool = False; T: type'),
    'SparseReduceSumSparse': (
        'input_indices: int64, input_values: T, input_shape: int64, '
        'reduction_axes: int32 -> output_indices: int64, output_values: '
        'T, output_shape: int64 | keep_dims: bool = False; T: type'),
    'SparseReorder': (
        'input_indices: int64, input_values: T, input_shape: int64 -> '
        'output_indices: int64, output_values: T | T: type'),
    'SparseReshape': (
        'input_indices: int64, input_shape: int64, new_shape: int64 -> '
        'output_indices: int64, output_shape: int64 | '),
    'SparseSegmentMean': (
        'data: T, indices: Tidx, segment_ids: Tsegmentids -> output: T | T: '
        "type; Tidx: type = 'int32'; Tsegmentids: type = 'int32'; "
        'sparse_gradient: bool = False'),
    'SparseSegmentMeanGrad': (
        'grad: T, indices: Tidx, segment_ids: Tsegmentids, output_dim0: '
        "int32 -> output: T | T: type; Tidx: type = 'int32'; "
        "Tsegmentids: type = 'int32'"),
    'SparseSegmentMeanWithNumSegments': (
        'data: T, indices: Tidx, segment_ids: Tsegmentids, '
        'num_segments: Tnumsegments -> output: T | T: type; '
        "Tidx: type = 'int32'; Tnumsegments: type = 'int32'; "
        "Tsegmentids: type = 'int32'; sparse_gradient: bool ="
        ' False'),
    'SparseSegmentSqrtN': (
        'data: T, indices: Tidx, segment_ids: Tsegmentids -> output: T | T:'
        " type; Tidx: type = 'int32'; Tsegmentids: type = 'int32'; "
        'sparse_gradient: bool = False'),
    'SparseSegmentSqrtNGrad': (
        'grad: T, indices: Tidx, segment_ids: Tsegmentids, output_dim0:'
        " int32 -> output: T | T: type; Tidx: type = 'int32'; "
        "Tsegmentids: type = 'int32'"),
    'SparseSegmentSqrtNWithNumSegments': (
        'data: T, indices: Tidx, segment_ids: Tsegmentids, '
        'num_segments: Tnumsegments -> output: T | T: type; '
        "Tidx: type = 'int32'; Tnumsegments: type = 'int32';"
        " Tsegmentids: type = 'int32'; sparse_gradient: bool"
        ' = False'),
    'SparseSegmentSum': (
        'data: T, indices: Tidx, segment_ids: Tsegmentids -> output: T | T: '
        "type; Tidx: type = 'int32'; Tsegmentids: type = 'int32'; "
        'sparse_gradient: bool = False'),
    'SparseSegmentSumWithNumSegments': (
        'data: T, indices: Tidx, segment_ids: Tsegmentids, '
        'num_segments: Tnumsegments -> output: T | T: type; '
        "Tidx: type = 'int32'; Tnumsegments: type = 'int32'; "
        "Tsegmentids: type = 'int32'; sparse_gradient: bool = "
        'False'),
    'SparseSlice': (
        'indices: int64, values: T, shape: int64, start: int64, size: int64 -> '
        'output_indices: int64, output_values: T, output_shape: int64 | T: type'),
    'SparseSliceGrad': (
        'backprop_val_grad: T, input_indices: int64, input_start: int64, '
        'output_indices: int64 -> val_grad: T | T: type'),
    'SparseSoftmax': 'sp_indices: int64, sp_values: T, sp_shape: int64 -> output: T | T: type',
    'SparseSoftmaxCrossEntropyWithLogits': (
        'features: T, labels: Tlabels -> loss: T, '
        "backprop: T | T: type; Tlabels: type = 'int64'"),
    'SparseSparseMaximum': (
        'a_indices: int64, a_values: T, a_shape: int64, b_indices: int64, '
        'b_values: T, b_shape: int64 -> output_indices: int64, '
        'output_values: T | T: type'),
    'SparseSparseMinimum': (
        'a_indices: int64, a_values: T, a_shape: int64, b_indices: int64, '
        'b_values: T, b_shape: int64 -> output_indices: int64, '
        'output_values: T | T: type'),
    'SparseTensorDenseAdd': (
        'a_indices: Tindices, a_values: T, a_shape: Tindices, b: T -> '
        'output: T | T: type; Tindices: type'),
    'SparseTensorDenseMatMul': (
        'a_indices: Tindices, a_values: T, a_shape: int64, b: T -> '
        "product: T | T: type; Tindices: type = 'int64'; adjoint_a: "
        'bool = False; adjoint_b: bool = False'),
    'SparseTensorSliceDataset': (
        'indices: int64, values: Tvalues, dense_shape: int64 -> '
        'handle: variant | Tvalues: type'),
    'SparseToDense': (
        'sparse_indices: Tindices, output_shape: Tindices, sparse_values: T, '
        'default_value: T -> dense: T | validate_indices: bool = True; T: type; '
        'Tindices: type'),
    'SparseToSparseSetOperation': (
        'set1_indices: int64, set1_values: T, set1_shape: int64, '
        'set2_indices: int64, set2_values: T, set2_shape: int64 -> '
        'result_indices: int64, result_values: T, result_shape: '
        'int64 | set_operation: string; validate_indices: bool = '
        'True; T: type'),
    'Split': 'split_dim: int32, value: T -> output: num_split * T | num_split: int; T: type',
    'SplitV': (
        'value: T, size_splits: Tlen, split_dim: int32 -> output: num_split * T | '
        "num_split: int; T: type; Tlen: type = 'int64'"),
    'SqlDataset': (
        'driver_name: string, data_source_name: string, query: string -> handle: '
        'variant | output_types: list(type); output_shapes: list(shape)'),
    'Sqrt': 'x: T -> y: T | T: type',
    'SqrtGrad': 'y: T, dy: T -> z: T | T: type',
    'Square': 'x: T -> y: T | T: type',
    'SquaredDifference': 'x: T, y: T -> z: T | T: type',
    'Squeeze': 'input: T -> output: T | T: type; squeeze_dims: list(int) = []',
    'StackPopV2': 'handle: resource -> elem: elem_type | elem_type: type',
    'StackPushV2': (
        'handle: resource, elem: T -> output: T | T: type; swap_memory: bool = '
        'False'),
    'StackV2': (
        'max_size: int32 -> handle: resource | elem_type: type; stack_name: string = '
        "''"),
    'StatefulRandomBinomial': (
        'resource: resource, algorithm: int64, shape: S, counts: T, '
        "probs: T -> output: dtype | S: type; T: type = 'float64'; "
        "dtype: type = 'int64'"),
    'StatefulStandardNormalV2': (
        'resource: resource, algorithm: int64, shape: shape_dtype -> '
        "output: dtype | dtype: type = 'float32'; shape_dtype: type ="
        " 'int64'"),
    'StatefulTruncatedNormal': (
        'resource: resource, algorithm: int64, shape: shape_dtype -> '
        "output: dtype | dtype: type = 'float32'; shape_dtype: type = "
        "'int64'"),
    'StatefulUniform': (
        'resource: resource, algorithm: int64, shape: shape_dtype -> output: '
        "dtype | dtype: type = 'float32'; shape_dtype: type = 'int64'"),
    'StatefulUniformFullInt': (
        'resource: resource, algorithm: int64, shape: shape_dtype -> '
        "output: dtype | dtype: type = 'uint64'; shape_dtype: type = "
        "'int64'"),
    'StatefulUniformInt': (
        'resource: resource, algorithm: int64, shape: shape_dtype, minval: '
        "dtype, maxval: dtype -> output: dtype | dtype: type = 'int64'; "
        "shape_dtype: type = 'int64'"),
    'StatelessMultinomial': (
        'logits: T, num_samples: int32, seed: Tseed -> output: '
        "output_dtype | T: type; Tseed: type = 'int64'; output_dtype: "
        "type = 'int64'"),
    'StatelessRandomBinomial': (
        'shape: S, seed: Tseed, counts: T, probs: T -> output: dtype |'
        " S: type; Tseed: type = 'int64'; T: type = 'float64'; dtype: "
        "type = 'int64'"),
    'StatelessRandomNormal': (
        'shape: T, seed: Tseed -> output: dtype | dtype: type = '
        "'float32'; T: type = 'int32'; Tseed: type = 'int64'"),
    'StatelessRandomUniform': (
        'shape: T, seed: Tseed -> output: dtype | dtype: type = '
        "'float32'; T: type = 'int32'; Tseed: type = 'int64'"),
    'StatelessRandomUniformInt': (
        'shape: T, seed: Tseed, minval: dtype, maxval: dtype -> '
        "output: dtype | dtype: type; T: type; Tseed: type = 'int64'"),
    'StatelessTruncatedNormal': (
        'shape: T, seed: Tseed -> output: dtype | dtype: type = '
        "'float32'; T: type = 'int32'; Tseed: type = 'int64'"),
    'StaticRegexFullMatch': 'input: string -> output: bool | pattern: string',
    'StopGradient': 'input: T -> output: T | T: type',
    'StridedSlice': (
        'input: T, begin: Index, end: Index, strides: Index -> output: T | T: '
        'type; Index: type; begin_mask: int = 0; end_mask: int = 0; '
        'ellipsis_mask: int = 0; new_axis_mask: int = 0; shrink_axis_mask: int = '
        '0'),
    'StridedSliceGrad': (
        'shape: Index, begin: Index, end: Index, strides: Index, dy: T -> '
        'output: T | T: type; Index: type; begin_mask: int = 0; end_mask: int'
        ' = 0; ellipsis_mask: int = 0; new_axis_mask: int = 0; '
        'shrink_axis_mask: int = 0'),
    'StringFormat': (
        "inputs: T -> output: string | T: list(type); template: string = '%s'; "
        "placeholder: string = '%s'; summarize: int = 3"),
    'StringJoin': "inputs: N * string -> output: string | N: int; separator: string = ''",
    'StringLength': "input: string -> output: int32 | unit: string = 'BYTE'",
    'StringSplit': (
        'input: string, delimiter: string -> indices: int64, values: string, '
        'shape: int64 | skip_empty: bool = True'),
    'StringSplitV2': (
        'input: string, sep: string -> indices: int64, values: string, shape: '
        'int64 | maxsplit: int = -1'),
    'StringStrip': 'input: string -> output: string | ',
    'StringToHashBucket': 'string_tensor: string -> output: int64 | num_buckets: int',
    'StringToHashBucketFast': 'input: string -> output: int64 | num_buckets: int',
    'StringToHashBucketStrong': (
        'input: string -> output: int64 | num_buckets: int; key: '
        'list(int)'),
    'StringToNumber': "string_tensor: string -> output: out_type | out_type: type = 'float32'",
    'Sub': 'x: T, y: T -> z: T | T: type',
    'Substr': (
        'input: string, pos: T, len: T -> output: string | T: type; unit: string = '
        "'BYTE'"),
    'Sum': (
        'input: T, reduction_indices: Tidx -> output: T | keep_dims: bool = False; T: '
        "type; Tidx: type = 'int32'"),
    'SummaryWriter': " -> writer: resource | shared_name: string = ''; container: string = ''",
    'Svd': (
        'input: T -> s: T, u: T, v: T | compute_uv: bool = True; full_matrices: bool = '
        'False; T: type'),
    'Switch': 'data: T, pred: bool -> output_false: T, output_true: T | T: type',
    'TFRecordDataset': (
        'filenames: string, compression_type: string, buffer_size: int64 -> '
        "handle: variant | metadata: string = ''"),
    'TFRecordReaderV2': (
        " -> reader_handle: resource | container: string = ''; shared_name: "
        "string = ''; compression_type: string = ''"),
    'TakeDataset': (
        'input_dataset: variant, count: int64 -> handle: variant | output_types: '
        "list(type); output_shapes: list(shape); metadata: string = ''"),
    'TakeWhileDataset': (
        'input_dataset: variant, other_arguments: Targuments -> handle: '
        'variant | predicate: func; Targuments: list(type); output_types: '
        "list(type); output_shapes: list(shape); metadata: string = ''"),
    'Tan': 'x: T -> y: T | T: type',
    'Tanh': 'x: T -> y: T | T: type',
    'TanhGrad': 'y: T, dy: T -> z: T | T: type',
    'TensorArrayCloseV3': 'handle: resource ->  | ',
    'TensorArrayConcatV3': (
        'handle: resource, flow_in: float32 -> value: dtype, lengths: '
        'int64 | dtype: type; element_shape_except0: shape = None'),
    'TensorArrayGatherV3': (
        'handle: resource, indices: int32, flow_in: float32 -> value: '
        'dtype | dtype: type; element_shape: shape = None'),
    'TensorArrayGradV3': (
        'handle: resource, flow_in: float32 -> grad_handle: resource, '
        'flow_out: float32 | source: string'),
    'TensorArrayReadV3': (
        'handle: resource, index: int32, flow_in: float32 -> value: dtype | '
        'dtype: type'),
    'TensorArrayScatterV3': (
        'handle: resource, indices: int32, value: T, flow_in: float32 -> '
        'flow_out: float32 | T: type'),
    'TensorArraySizeV3': 'handle: resource, flow_in: float32 -> size: int32 | ',
    'TensorArraySplitV3': (
        'handle: resource, value: T, lengths: int64, flow_in: float32 -> '
        'flow_out: float32 | T: type'),
    'TensorArrayV3': (
        'size: int32 -> handle: resource, flow: float32 | dtype: type; '
        'element_shape: shape = None; dynamic_size: bool = False; '
        'clear_after_read: bool = True; identical_element_shapes: bool = False; '
        "tensor_array_name: string = ''"),
    'TensorArrayWriteV3': (
        'handle: resource, index: int32, value: T, flow_in: float32 -> '
        'flow_out: float32 | T: type'),
    'TensorDataset': (
        'components: Toutput_types -> handle: variant | Toutput_types: '
        "list(type); output_shapes: list(shape); metadata: string = ''"),
    'TensorScatterAdd': (
        'tensor: T, indices: Tindices, updates: T -> output: T | T: type; '
        "Tindices: type; bad_indices_policy: string = ''"),
    'TensorScatterSub': (
        'tensor: T, indices: Tindices, updates: T -> output: T | T: type; '
        "Tindices: type; bad_indices_policy: string = ''"),
    'TensorScatterUpdate': (
        'tensor: T, indices: Tindices, updates: T -> output: T | T: type; '
        "Tindices: type; bad_indices_policy: string = ''"),
    'TensorSliceDataset': (
        'components: Toutput_types -> handle: variant | Toutput_types: '
        'list(type); output_shapes: list(shape); is_files: bool = False; '
        "metadata: string = ''; replicate_on_split: bool = False"),
    'TensorSummary': (
        "tensor: T -> summary: string | T: type; description: string = ''; "
        "labels: list(string) = []; display_name: string = ''"),
    'TensorSummaryV2': (
        'tag: string, tensor: T, serialized_summary_metadata: string -> '
        'summary: string | T: type'),
    'TextLineDataset': (
        'filenames: string, compression_type: string, buffer_size: int64 -> '
        "handle: variant | metadata: string = ''"),
    'TextLineReaderV2': (
        ' -> reader_handle: resource | skip_header_lines: int = 0; container:'
        " string = ''; shared_name: string = ''"),
    'Tile': (
        'input: T, multiples: Tmultiples -> output: T | T: type; Tmultiples: type = '
        "'int32'"),
    'Timestamp': ' -> ts: float64 | ',
    'TopKV2': (
        'input: T, k: Tk -> values: T, indices: index_type | sorted: bool = True; T: '
        "type; Tk: type = 'int32'; index_type: type = 'int32'"),
    'Transpose': "x: T, perm: Tperm -> y: T | T: type; Tperm: type = 'int32'",
    'TruncateDiv': 'x: T, y: T -> z: T | T: type',
    'TruncateMod': 'x: T, y: T -> z: T | T: type',
    'TruncatedNormal': (
        'shape: T -> output: dtype | seed: int = 0; seed2: int = 0; dtype: '
        'type; T: type'),
    'UnbatchDataset': (
        'input_dataset: variant -> handle: variant | output_types: list(type); '
        "output_shapes: list(shape); metadata: string = ''"),
    'UniformCandidateSampler': (
        'true_classes: int64 -> sampled_candidates: int64, '
        'true_expected_count: float32, sampled_expected_count: float32'
        ' | num_true: int; num_sampled: int; unique: bool; range_max: '
        'int; seed: int = 0; seed2: int = 0'),
    'Unique': "x: T -> y: T, idx: out_idx | T: type; out_idx: type = 'int32'",
    'UniqueDataset': (
        'input_dataset: variant -> handle: variant | output_types: list(type); '
        "output_shapes: list(shape); metadata: string = ''"),
    'UniqueWithCounts': (
        'x: T -> y: T, idx: out_idx, count: out_idx | T: type; out_idx: type '
        "= 'int32'"),
    'Unpack': 'value: T -> output: num * T | num: int; T: type; axis: int = 0',
    'UnravelIndex': "indices: Tidx, dims: Tidx -> output: Tidx | Tidx: type = 'int32'",
    'UnsortedSegmentMax': (
        'data: T, segment_ids: Tindices, num_segments: Tnumsegments -> '
        "output: T | T: type; Tindices: type; Tnumsegments: type = 'int32'"),
    'UnsortedSegmentMin': (
        'data: T, segment_ids: Tindices, num_segments: Tnumsegments -> '
        "output: T | T: type; Tindices: type; Tnumsegments: type = 'int32'"),
    'UnsortedSegmentProd': (
        'data: T, segment_ids: Tindices, num_segments: Tnumsegments -> '
        "output: T | T: type; Tindices: type; Tnumsegments: type = 'int32'"),
    'UnsortedSegmentSum': (
        'data: T, segment_ids: Tindices, num_segments: Tnumsegments -> '
        "output: T | T: type; Tindices: type; Tnumsegments: type = 'int32'"),
    'UpperBound': (
        'sorted_inputs: T, values: T -> output: out_type | T: type; out_type: type '
        "= 'int32'"),
    'VariableV2': (
        " -> ref: Ref(dtype) | shape: shape; dtype: type; container: string = ''; "
        "shared_name: string = ''"),
    'Where': "input: T -> index: int64 | T: type = 'bool'",
    'WholeFileReaderV2': (
        " -> reader_handle: resource | container: string = ''; shared_name: "
        "string = ''"),
    'WindowDataset': (
        'input_dataset: variant, size: int64, shift: int64, stride: int64, '
        'drop_remainder: bool -> handle: variant | output_types: list(type); '
        "output_shapes: list(shape); metadata: string = ''"),
    'WriteAudioSummary': (
        'writer: resource, step: int64, tag: string, tensor: float32, '
        'sample_rate: float32 ->  | max_outputs: int = 3'),
    'WriteFile': 'filename: string, contents: string ->  | ',
    'WriteGraphSummary': 'writer: resource, step: int64, tensor: string ->  | ',
    'WriteHistogramSummary': (
        'writer: resource, step: int64, tag: string, values: T ->  | T: '
        "type = 'float32'"),
    'WriteImageSummary': (
        'writer: resource, step: int64, tag: string, tensor: T, bad_color: '
        "uint8 ->  | max_images: int = 3; T: type = 'float32'"),
    'WriteScalarSummary': 'writer: resource, step: int64, tag: string, value: T ->  | T: type',
    'WriteSummary': (
        'writer: resource, step: int64, tensor: T, tag: string, summary_metadata:'
        ' string ->  | T: type'),
    'Xdivy': 'x: T, y: T -> z: T | T: type',
    'Xlogy': 'x: T, y: T -> z: T | T: type',
    'ZerosLike': 'x: T -> y: T | T: type',
    'Zeta': 'x: T, q: T -> z: T | T: type',
    'ZipDataset': (
        'input_datasets: N * variant -> handle: variant | output_types: list(type);'
        " output_shapes: list(shape); N: int; metadata: string = ''"),
    '_Recv': (
        ' -> tensor: tensor_type | tensor_type: type; tensor_name: string; send_device: '
        'string; send_device_incarnation: int; recv_device: string; client_terminated: '
        'bool = False'),
    '_Send': (
        'tensor: T ->  | T: type; tensor_name: string; send_device: string; '
        'send_device_incarnation: int; recv_device: string; client_terminated: bool = '
        'False'),
}
