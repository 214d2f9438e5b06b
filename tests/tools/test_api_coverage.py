"""tfcompat api-coverage: names resolve only to real objects; no covered name is lost."""
from pathlib import Path

import pytest

from tfcompat.__main__ import main
from tfcompat.tools import api_coverage

BASELINE = Path(__file__).resolve().parents[1] / "api_coverage_baseline.txt"


def test_every_baseline_name_still_resolves():
    names = [n for n in BASELINE.read_text().split() if n]
    assert len(names) > 300
    lost = [n for n in names if not api_coverage.resolves(n)]
    assert not lost, ("names that resolved when tests/api_coverage_baseline.txt was written no "
                      f"longer do: {lost}")


def test_resolution_follows_attributes_and_rejects_unimplemented_names():
    assert api_coverage.resolves("tf.nn.relu")
    assert api_coverage.resolves("tf.newaxis")  # None is a real value
    assert not api_coverage.resolves("tf.no_such_name_in_tf")
    assert not api_coverage.resolves("tf.nn.no_such_name_in_tf")
    with pytest.raises(ValueError, match="does not start with 'tf.'"):
        api_coverage.resolves("np.zeros")


@pytest.fixture
def api_dir(tmp_path):
    (tmp_path / "tf.txt").write_text("tf.matmul\ntf.no_such_name_in_tf\ntf.nn\n")
    (tmp_path / "nn.txt").write_text("tf.nn.relu\n")
    (tmp_path / "tf.protos").write_text("tf.GraphDef\n")  # not counted
    return tmp_path


def test_report_counts_per_namespace_and_overall(api_dir, capsys):
    assert main(["api-coverage", "--api-dir", str(api_dir), "--missing"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["tf", "2/3", "66.7%"]
    assert lines[1].split() == ["tf.no_such_name_in_tf"]
    assert lines[2].split() == ["nn", "1/1", "100.0%"]
    assert lines[3].split() == ["overall", "3/4", "75.0%"]


def test_resolved_lists_the_covered_names_sorted(api_dir, capsys):
    assert main(["api-coverage", "--api-dir", str(api_dir), "--resolved"]) == 0
    assert capsys.readouterr().out.split() == ["tf.matmul", "tf.nn", "tf.nn.relu"]


def test_output_file_holds_the_report(api_dir, tmp_path, capsys):
    target = tmp_path / "baseline.txt"
    assert main(["api-coverage", "--api-dir", str(api_dir), "--resolved", "--output",
                 str(target)]) == 0
    assert target.read_text() == "tf.matmul\ntf.nn\ntf.nn.relu\n"
    assert capsys.readouterr().out == "" and not list(tmp_path.glob("*.partial"))


def test_missing_api_dir_is_an_error(tmp_path, capsys):
    assert main(["api-coverage", "--api-dir", str(tmp_path / "absent")]) == 2
    assert "no API lists" in capsys.readouterr().err


class _BrokenNamespace:
    def __getattr__(self, name):
        raise ImportError("cannot import a dependency of this namespace")


def test_a_namespace_that_fails_to_import_counts_as_missing(monkeypatch):
    import tfcompat
    monkeypatch.setattr(tfcompat, "tfcompat_test_broken", _BrokenNamespace(), raising=False)
    assert api_coverage.resolves("tf.tfcompat_test_broken")
    assert not api_coverage.resolves("tf.tfcompat_test_broken.anything")
