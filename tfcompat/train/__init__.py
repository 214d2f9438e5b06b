"""``tf.train``: optimizers, learning-rate schedules and the global step (TF 1.x namespace).

Optimizers update variables with TF's Apply* ops (``tfcompat/ops/training_ops.py``); slot
and non-slot variables are named as TF 1.x names them, so checkpoints line up.
"""
from tfcompat.train.adadelta import AdadeltaOptimizer  # noqa: F401
from tfcompat.train.adagrad import AdagradOptimizer  # noqa: F401
from tfcompat.train.adagrad_da import AdagradDAOptimizer  # noqa: F401
from tfcompat.train.adam import AdamOptimizer  # noqa: F401
from tfcompat.train.ftrl import FtrlOptimizer  # noqa: F401
from tfcompat.train.gradient_descent import GradientDescentOptimizer  # noqa: F401
from tfcompat.train.learning_rate_decay import (cosine_decay, exponential_decay,  # noqa: F401
                                                inverse_time_decay, natural_exp_decay,
                                                piecewise_constant, piecewise_constant_decay,
                                                polynomial_decay)
from tfcompat.train.learning_rate_decay import (cosine_decay_restarts,  # noqa: F401
                                                linear_cosine_decay, noisy_linear_cosine_decay)
from tfcompat.train.momentum import MomentumOptimizer  # noqa: F401
from tfcompat.train.moving_averages import ExponentialMovingAverage  # noqa: F401
from tfcompat.train.optimizer import Optimizer  # noqa: F401
from tfcompat.train.proximal_gradient_descent import (  # noqa: F401
    ProximalGradientDescentOptimizer)
from tfcompat.train.proximal_adagrad import ProximalAdagradOptimizer  # noqa: F401
from tfcompat.train.rmsprop import RMSPropOptimizer  # noqa: F401
from tfcompat.train.training_util import (assert_global_step, create_global_step,  # noqa: F401
                                          get_global_step, get_or_create_global_step,
                                          global_step)

# ---- checkpoints: tfcompat/train/saver.py (Saver, import_meta_graph, latest_checkpoint ...) --
from tfcompat.framework.meta_graph import SaverDef  # noqa: F401
from tfcompat.train.checkpoint_init import init_from_checkpoint  # noqa: F401
from tfcompat.framework.graph_io import write_graph  # noqa: F401
from tfcompat.ops.file_ops import match_filenames_once  # noqa: F401
from tfcompat.train.checkpoint_utils import (NewCheckpointReader, list_variables,  # noqa: F401
                                             load_checkpoint, load_variable)
from tfcompat.train.saver import (Saver, checkpoint_exists, export_meta_graph,  # noqa: F401
                                  get_checkpoint_mtimes, get_checkpoint_state, import_meta_graph,
                                  latest_checkpoint, remove_checkpoint, update_checkpoint_state)
# ---- end of checkpoint exports ---------------------------------------------------------------
# ---- distributed: tfcompat/train/server_lib.py, device_setter.py (runtime: tfcompat/distributed)
from tfcompat.train.device_setter import replica_device_setter  # noqa: F401,E402
from tfcompat.train.server_lib import ClusterSpec, Server  # noqa: F401,E402
from tfcompat.train.monitored_session import WorkerSessionCreator  # noqa: F401,E402

# ---- hooks and monitored sessions (issue 19) ------------------------------------------------
from tfcompat.train.basic_session_run_hooks import (CheckpointSaverHook,  # noqa: F401
                                                    CheckpointSaverListener,
                                                    LoggingTensorHook, NanLossDuringTrainingError,
                                                    NanTensorHook, SecondOrStepTimer,
                                                    StepCounterHook, StopAtStepHook,
                                                    SummarySaverHook)
from tfcompat.train.monitored_session import (ChiefSessionCreator,  # noqa: F401
                                              MonitoredSession, MonitoredTrainingSession,
                                              Scaffold, SingularMonitoredSession)
from tfcompat.train.session_run_hook import (SessionRunArgs, SessionRunContext,  # noqa: F401
                                             SessionRunHook, SessionRunValues)
from tfcompat.train.basic_session_run_hooks import (FeedFnHook, FinalOpsHook,  # noqa: F401
                                                    GlobalStepWaiterHook, ProfilerHook)
from tfcompat.train.monitored_session import SessionCreator  # noqa: F401
from tfcompat.train.session_manager import SessionManager  # noqa: F401
from tfcompat.train.supervisor import Supervisor, basic_train_loop  # noqa: F401
from tfcompat.train.coordinator import LooperThread  # noqa: F401
from tfcompat.train.summary_iterator import summary_iterator  # noqa: F401
from tfcompat.train.saver import generate_checkpoint_state_proto  # noqa: F401
from tfcompat.train.sync_replicas_optimizer import SyncReplicasOptimizer  # noqa: F401
from tfcompat.train.warm_starting_util import VocabInfo, warm_start  # noqa: F401
from tfcompat.train.tracking_util import Checkpoint  # noqa: F401
from tfcompat.train.checkpoint_management import CheckpointManager  # noqa: F401
# ---- end of hooks and monitored sessions ----------------------------------------------------

# ---- queue-based input: tfcompat/train/{coordinator,queue_runner,input}.py --------------------
from tfcompat.train.coordinator import Coordinator  # noqa: F401,E402
from tfcompat.train.input import (batch, batch_join, input_producer,  # noqa: F401,E402
                                  limit_epochs, range_input_producer, shuffle_batch,
                                  shuffle_batch_join, slice_input_producer,
                                  string_input_producer)
from tfcompat.train.queue_runner import (QueueRunner, add_queue_runner,  # noqa: F401,E402
                                         start_queue_runners)
from tfcompat.lib.example_proto import (BytesList, Example, Feature, Features,  # noqa: F401,E402
                                        FloatList, Int64List)
from tfcompat.lib.example_proto import (FeatureList, FeatureLists,  # noqa: F401,E402
                                        SequenceExample)
from tfcompat.train.input import (maybe_batch, maybe_batch_join,  # noqa: F401,E402
                                  maybe_shuffle_batch, maybe_shuffle_batch_join)
# ---- end of queue-based input exports ---------------------------------------------------------


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.train' has no attribute '{name}': "
                         f"tfcompat does not implement tf.train.{name} yet")
