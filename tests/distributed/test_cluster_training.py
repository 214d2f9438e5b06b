"""Acceptance: two ps and two worker processes on 127.0.0.1 train one model between-graph
(asynchronously), then a separate session on a ps sees the trained variables; a worker killed
mid-training loses nothing and a restarted one rejoins; a ps killed and restarted gets the
model back from the chief's last checkpoint (MonitoredTrainingSession)."""
import importlib.util
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import tfcompat as tf

SCRIPT = Path(__file__).with_name("between_graph_training.py")
REPO = Path(__file__).resolve().parents[2]
STEPS = 60


def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _load_script():
    spec = importlib.util.spec_from_file_location("between_graph_training", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cluster_command(ps_tasks=1):
    ports = _free_ports(ps_tasks + 2)
    ps_hosts = ",".join(f"127.0.0.1:{port}" for port in ports[:ps_tasks])
    worker_hosts = ",".join(f"127.0.0.1:{port}" for port in ports[ps_tasks:])
    return ps_hosts, worker_hosts, [sys.executable, str(SCRIPT), f"--ps_hosts={ps_hosts}",
                                    f"--worker_hosts={worker_hosts}", "--deadline=150"]


ENV = dict(os.environ, PYTHONPATH=str(REPO))


def _stop(processes):
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _run_two_workers(common, tmp_path, processes):
    """Starts workers 0 and 1 of the cluster (``common``: their command line), waits for
    both and returns their results; ``processes`` collects them for ``_stop``."""
    workers = [subprocess.Popen(common + ["--job_name=worker", f"--task_index={index}",
                                          f"--result={tmp_path / f'worker{index}.json'}"],
                                env=ENV, cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT) for index in range(2)]
    processes.extend(workers)
    for worker in workers:
        output, _ = worker.communicate(timeout=150)
        assert worker.returncode == 0, output.decode()[-3000:]
    return [json.loads((tmp_path / f"worker{i}.json").read_text()) for i in range(2)]


def test_two_ps_and_two_workers_train_one_model_across_processes(tmp_path):
    ps_hosts, worker_hosts, common = _cluster_command(ps_tasks=2)
    processes = []
    try:
        for index in range(2):
            processes.append(subprocess.Popen(common + ["--job_name=ps",
                                                        f"--task_index={index}"],
                                              env=ENV, cwd=REPO))
        results = _run_two_workers(common + [f"--steps={STEPS}"], tmp_path, processes)
        assert all(result["accuracy"] > 0.9 for result in results), results
        assert max(result["global_step"] for result in results) <= 2 * STEPS

        # Both workers are gone; the ps tasks still hold the model they trained together
        # (its kernel on one, its bias and the global step on the other: round robin).
        # A graph whose computation sits on ps 1 reads them there.
        script = _load_script()
        with tf.Graph().as_default() as graph:
            cluster = tf.train.ClusterSpec({"ps": ps_hosts.split(","),
                                            "worker": worker_hosts.split(",")})
            model = script.build_model(cluster, 0, worker_device="/job:ps/task:1")
            assert {op.device for op in graph.get_operations() if op.type == "VariableV2"} \
                == {"/job:ps/task:0", "/job:ps/task:1"}
            xs, ys = script.sample(__import__("numpy").random.RandomState(7), 300)
            with tf.Session("grpc://" + ps_hosts.split(",")[1]) as sess:
                assert sess.run(model["uninitialized"]).size == 0
                # Every asynchronous increment of either worker reached the ps.
                assert sess.run(model["global_step"]) == 2 * STEPS
                assert sess.run(model["accuracy"], {model["x"]: xs,
                                                    model["labels"]: ys}) > 0.9
    finally:
        _stop(processes)


def test_two_workers_train_softmax_regression_on_mnist(tmp_path, mnist_source):
    """Between-graph asynchronous training on real MNIST: 1 ps + 2 worker processes, 250
    steps of 64 images each; both see every update and reach TF's ~91% test accuracy."""
    ps_hosts, worker_hosts, common = _cluster_command()
    common = common + [f"--data_dir={mnist_source}", "--batch=64", "--steps=250"]
    processes = [subprocess.Popen(common + ["--job_name=ps"], env=ENV, cwd=REPO)]
    try:
        results = _run_two_workers(common, tmp_path, processes)
        # The last worker to finish sees both workers' 250 steps; both test on 10,000 images.
        assert max(result["global_step"] for result in results) == 500, results
        assert all(result["accuracy"] > 0.89 for result in results), results
    finally:
        _stop(processes)


def test_killed_worker_loses_nothing_on_the_ps_and_a_restarted_one_rejoins(tmp_path):
    _, _, common = _cluster_command()
    processes = [subprocess.Popen(common + ["--job_name=ps"], env=ENV, cwd=REPO)]
    try:
        chief = subprocess.run(common + ["--job_name=worker", "--task_index=0", "--steps=40"],
                               env=ENV, cwd=REPO, capture_output=True, timeout=150)
        assert chief.returncode == 0, chief.stdout.decode()[-3000:] + chief.stderr.decode()
        doomed = subprocess.Popen(common + ["--job_name=worker", "--task_index=1",
                                            "--steps=100000"],
                                  env=ENV, cwd=REPO, stdout=subprocess.PIPE)
        processes.append(doomed)
        for line in doomed.stdout:  # killed mid-training, after its 20th step
            if line.strip() == b"worker 1 step 20":
                break
        doomed.kill()
        doomed.wait(timeout=30)
        result = tmp_path / "restarted.json"
        again = subprocess.run(common + ["--job_name=worker", "--task_index=1", "--steps=40",
                                         f"--result={result}"],
                               env=ENV, cwd=REPO, capture_output=True, timeout=150)
        assert again.returncode == 0, again.stdout.decode()[-3000:] + again.stderr.decode()
        restarted = json.loads(result.read_text())
        # The chief's 40 steps, at least the killed worker's 20, then 40 more.
        assert restarted["global_step"] >= 100 and restarted["accuracy"] > 0.9
    finally:
        _stop(processes)


def test_restarted_ps_gets_the_chiefs_last_checkpoint_back(tmp_path):
    ps_hosts, _, common = _cluster_command()
    ps_command = common + ["--job_name=ps"]
    processes = [subprocess.Popen(ps_command, env=ENV, cwd=REPO)]
    try:
        result = tmp_path / "chief.json"
        chief = subprocess.Popen(common + [
            "--job_name=worker", "--task_index=0", "--steps=60", "--step_delay=0.02",
            f"--checkpoint_dir={tmp_path / 'train'}", f"--result={result}"],
            env=ENV, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        processes.append(chief)
        lines = []
        for line in chief.stdout:
            lines.append(line.decode().strip())
            if lines[-1] == "worker 0 global step 25":
                break
        processes[0].kill()  # the ps and the model it held are gone
        processes[0].wait(timeout=30)
        processes[0] = subprocess.Popen(ps_command, env=ENV, cwd=REPO)  # same address
        output, _ = chief.communicate(timeout=150)
        lines += output.decode().splitlines()
        assert chief.returncode == 0, "\n".join(lines[-40:])
        steps = [int(line.rsplit(" ", 1)[1]) for line in lines
                 if line.startswith("worker 0 global step")]
        # The chief went on from its checkpoint of step 20 (not from 25, nor from 0): the
        # global step a run reads is the one before its update.
        after = steps[steps.index(25) + 1:]
        assert after and after[0] == 20, steps
        outcome = json.loads(result.read_text())
        assert outcome["global_step"] == 60 and outcome["accuracy"] > 0.9
    finally:
        _stop(processes)
