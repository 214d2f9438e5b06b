"""aymericdamien's TensorFlow-Examples kmeans.py (tests/contrib/factorization/programs) runs
unchanged under ``python -m tfcompat`` on 10,000 real MNIST training images and classifies
the test set by nearest cluster better than 60%."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PROGRAMS = Path(__file__).resolve().parent / "programs"


def test_aymericdamien_kmeans_clusters_mnist(tmp_path, mnist_environment):
    env = dict(mnist_environment, PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-m", "tfcompat",
                             str(PROGRAMS / "kmeans_mnist.py"), str(tmp_path / "data"), "10000"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Step 10, Avg Distance" in result.stdout
    assert "Test Accuracy:" in result.stdout
