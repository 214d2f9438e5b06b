"""The run statistics tf.profiler reads from traced runs (tfprof's ExecStep): each node's
execution time, run count, output bytes and device per profiled step, from a
``RunMetadata``'s step stats."""


class StepTimes:
    """The statistics of the traced steps added so far: {node name: {step: [micros, runs,
    output bytes, devices]}}."""

    def __init__(self):
        self.nodes = {}

    def add(self, step, run_meta):
        """Adds ``run_meta``'s step stats as ``step``: as in tfprof, an op's time is its
        ``op_end_rel_micros`` (0 counted as 1 us), each stats entry of a node (one per
        while-loop iteration) adds its time, a run and its outputs' bytes (each the larger
        of its allocated and requested bytes), and the device is lowercased to tfprof's
        canonical form. tfcompat runs on the CPU: all of it is cpu time. The allocator
        statistics (requested, peak and residual bytes) are not read: tfcompat's traces
        have none."""
        if run_meta is None:
            return
        for device_stats in run_meta.step_stats.dev_stats:
            device = _canonical(device_stats.device)
            for stats in device_stats.node_stats:
                if not stats.all_start_micros:
                    continue
                entry = self.nodes.setdefault(stats.node_name, {}).setdefault(
                    step, [0, 0, 0, []])
                entry[0] += max(stats.op_end_rel_micros, 1)
                entry[1] += 1
                entry[2] += sum(_output_bytes(output) for output in stats.output)
                if device not in entry[3]:
                    entry[3].append(device)

    def apply(self, nodes, step):
        """Sets the run statistics of ``nodes`` (name -> ProfileNode): those of ``step``,
        or (a negative ``step``) the integer average over the steps each node ran in."""
        for name, steps in self.nodes.items():
            node = nodes.get(name)
            if node is None:
                continue
            chosen = [steps[step]] if step >= 0 and step in steps else (
                [] if step >= 0 else list(steps.values()))
            if not chosen:
                continue
            micros = sum(entry[0] for entry in chosen) // len(chosen)
            proto = node.proto
            proto.exec_micros = proto.cpu_exec_micros = micros
            proto.run_count = sum(entry[1] for entry in chosen) // len(chosen)
            proto.output_bytes = sum(entry[2] for entry in chosen) // len(chosen)
            for entry in chosen:
                proto.devices.extend(device for device in entry[3]
                                     if device not in proto.devices)


def _output_bytes(output):
    allocation = output.tensor_description.allocation_description
    return max(allocation.allocated_bytes, allocation.requested_bytes)


def _canonical(device):
    """tfprof's device name: the job/replica/task path with the device type lowercased."""
    head, _, rest = device.rpartition("/device:")
    return f"{head}/device:{rest.lower()}" if head or rest else device
