"""The ``checkpoint`` state file: TF's text, path rules, lenient parsing, clear errors."""
import os
from pathlib import Path

import pytest

from tfcompat.lib.io.checkpoint_state import (CheckpointState, CheckpointStateParseError,
                                              parse_checkpoint_state, read_checkpoint_state,
                                              write_checkpoint_state)


@pytest.mark.parametrize("name", ["mlp_adam", "scalars_and_types"])
def test_golden_state_files(name, tmp_path, golden_dir):
    directory = golden_dir(name)
    state = read_checkpoint_state(directory)
    assert state.model_checkpoint_path == os.path.join(directory, "model.ckpt")
    assert state.all_model_checkpoint_paths == [state.model_checkpoint_path]
    # Writing the same state reproduces TF's file byte for byte.
    write_checkpoint_state(tmp_path, tmp_path / "model.ckpt", [], save_relative_paths=True)
    assert (tmp_path / "checkpoint").read_bytes() == (directory / "checkpoint").read_bytes()


def test_absolute_paths_by_default(tmp_path):
    run = str(tmp_path)
    paths = [os.path.join(run, "my_model.ckpt-%d" % step) for step in (200, 300)]
    write_checkpoint_state(run, paths[-1], paths)
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "%s"\n'
        'all_model_checkpoint_paths: "%s"\n'
        'all_model_checkpoint_paths: "%s"\n' % (paths[1], paths[0], paths[1]))
    state = read_checkpoint_state(run)
    assert state.model_checkpoint_path == paths[1]
    assert state.all_model_checkpoint_paths == paths
    assert [n for n in os.listdir(run) if n != "checkpoint"] == []  # no temporaries left


def test_newest_path_is_appended_when_missing(tmp_path):
    write_checkpoint_state(tmp_path, "/x/m-2", ["/x/m-1"])
    assert read_checkpoint_state(tmp_path).all_model_checkpoint_paths == ["/x/m-1", "/x/m-2"]
    write_checkpoint_state(tmp_path, "/x/m-3", None)
    assert read_checkpoint_state(tmp_path).all_model_checkpoint_paths == ["/x/m-3"]


def test_relative_save_path_is_stored_relative_to_its_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkdir("sub")
    write_checkpoint_state("./sub", "./sub/m.ckpt-5", ["./sub/m.ckpt-4", "./sub/m.ckpt-5"])
    assert Path("sub/checkpoint").read_text() == (
        'model_checkpoint_path: "m.ckpt-5"\n'
        'all_model_checkpoint_paths: "m.ckpt-4"\n'
        'all_model_checkpoint_paths: "m.ckpt-5"\n')
    write_checkpoint_state(".", "./my_model_final.ckpt", [])  # the book's relative save path
    assert Path("checkpoint").read_text().startswith('model_checkpoint_path: "my_model_final.ckpt"')
    state = read_checkpoint_state("sub")
    assert state.model_checkpoint_path == os.path.join("sub", "m.ckpt-5")


def test_save_relative_paths_with_absolute_paths(tmp_path):
    model = str(tmp_path / "model.ckpt-7")
    write_checkpoint_state(tmp_path, model, [str(tmp_path / "model.ckpt-6"), model],
                           save_relative_paths=True, latest_filename="latest")
    assert (tmp_path / "latest").read_text() == (
        'model_checkpoint_path: "model.ckpt-7"\n'
        'all_model_checkpoint_paths: "model.ckpt-6"\n'
        'all_model_checkpoint_paths: "model.ckpt-7"\n')
    assert read_checkpoint_state(tmp_path) is None  # "checkpoint" itself does not exist
    assert read_checkpoint_state(tmp_path, "latest").model_checkpoint_path == model


def test_timestamps(tmp_path):
    write_checkpoint_state(tmp_path, "/a/m-2", ["/a/m-1", "/a/m-2"],
                           all_model_checkpoint_timestamps=[1.5, 1795720380.5124342],
                           last_preserved_timestamp=1795720000.25)
    text = (tmp_path / "checkpoint").read_text()
    assert "all_model_checkpoint_timestamps: 1795720380.5124342\n" in text
    assert text.endswith("last_preserved_timestamp: 1795720000.25\n")
    state = read_checkpoint_state(tmp_path)
    assert state.all_model_checkpoint_timestamps == [1.5, 1795720380.5124342]
    assert state.last_preserved_timestamp == 1795720000.25
    with pytest.raises(ValueError, match="timestamps"):
        write_checkpoint_state(tmp_path, "/a/m-2", ["/a/m-1", "/a/m-2"],
                               all_model_checkpoint_timestamps=[1.0])


def test_state_path_conflict(tmp_path):
    with pytest.raises(RuntimeError, match="conflicts"):
        write_checkpoint_state(tmp_path, os.path.join(tmp_path, "checkpoint"), [])


def test_escapes_round_trip(tmp_path):
    weird = '/tmp/ü名/"quoted"\\back\ttab\nline\x01'
    write_checkpoint_state(tmp_path, weird, [])
    text = (tmp_path / "checkpoint").read_text(encoding="utf-8")
    expected = r'model_checkpoint_path: "/tmp/ü名/\"quoted\"\\back\ttab\nline\001"' + "\n"
    assert text.startswith(expected)
    assert read_checkpoint_state(tmp_path).model_checkpoint_path == weird


def test_lenient_syntax():
    text = ("# written by hand\n\n"
            "model_checkpoint_path:'m\\303\\274' \"-2\" ;\n"  # octal UTF-8, adjacent literals
            "  all_model_checkpoint_paths : \"\\x41\\?\" , all_model_checkpoint_paths: \"b\"\n"
            "all_model_checkpoint_timestamps: -inf\n"
            "all_model_checkpoint_timestamps: 1e3\n"
            "model_checkpoint_path: \"last\"  # a repeated singular field: the last wins\n")
    state = parse_checkpoint_state(text)
    assert state == CheckpointState("last", ["A?", "b"], [float("-inf"), 1000.0], 0.0)
    assert parse_checkpoint_state('model_checkpoint_path: "mü-2"').model_checkpoint_path == "mü-2"


@pytest.mark.parametrize("text, detail", [
    ('unknown_field: "x"\n', "unknown field"),
    ('model_checkpoint_path "x"\n', "expected"),
    ('model_checkpoint_path: "x\n', "unexpected character"),
    ('model_checkpoint_path: "\\q"\n', "escape"),
    ('model_checkpoint_path: "\\777"\n', "escape"),
    ('model_checkpoint_path: "\\377"\n', "utf-8"),  # not UTF-8
    ('model_checkpoint_path: 5\n', "expected string"),
    ('all_model_checkpoint_timestamps: "x"\n', "expected number"),
    ('all_model_checkpoint_timestamps: 1.2.3\n', "could not convert"),
    ('model_checkpoint_path:\n', "end of file"),
    ('model_checkpoint_path { }\n', "unexpected character"),
])
def test_malformed_files_raise_a_clear_parse_error(tmp_path, text, detail):
    (tmp_path / "checkpoint").write_text(text, encoding="utf-8")
    with pytest.raises(CheckpointStateParseError, match="(?i)%s" % detail) as info:
        read_checkpoint_state(tmp_path)
    assert str(tmp_path / "checkpoint") in str(info.value)


def test_non_utf8_file_is_a_parse_error(tmp_path):
    (tmp_path / "checkpoint").write_bytes(b'model_checkpoint_path: "\xff"\n')
    with pytest.raises(CheckpointStateParseError):
        read_checkpoint_state(tmp_path)


def test_empty_model_path_is_invalid(tmp_path):
    (tmp_path / "checkpoint").write_text('all_model_checkpoint_paths: "a"\n')
    with pytest.raises(ValueError, match="Invalid checkpoint state") as info:
        read_checkpoint_state(tmp_path)
    assert not isinstance(info.value, CheckpointStateParseError)


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    write_checkpoint_state(tmp_path, "/a/m-1", [])
    before = (tmp_path / "checkpoint").read_bytes()

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError):
        write_checkpoint_state(tmp_path, "/a/m-2", ["/a/m-1"])
    monkeypatch.undo()
    assert (tmp_path / "checkpoint").read_bytes() == before
    assert os.listdir(tmp_path) == ["checkpoint"]
