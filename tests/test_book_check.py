"""tfcompat book-check: reading accuracies, ordering, the tolerance rule, the table, the data
file, and one real full-length run of the CI set (batch normalization, dropout, l1, exponential
decay) that must hold the book's 1.0-point bar."""
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tfcompat import book_check
from tfcompat.book_check import Entry, Result

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "chapter11_scripts"

# The table of the book's printed figures (fractions), by script.
BOOK_FIGURES = {
    "batch_normalization_notebook.py": 0.9742, "gradient_clipping.py": 0.9612,
    "reuse_whole_model.py": 0.9712, "reuse_model_rebuilt.py": 0.9712,
    "reuse_hidden_layers.py": 0.9678, "freeze_lower_layers.py": 0.9602,
    "freeze_stop_gradient.py": 0.9580, "cache_frozen_layers.py": 0.9580,
    "exponential_decay.py": 0.9820, "l1_regularization.py": 0.9214, "dropout.py": 0.9720,
    "max_norm_clip_assign.py": 0.9844, "max_norm_regularizer.py": 0.9826,
    "leaky_relu.py": 0.9788, "exercise_08_early_stopping.py": 0.9726,
    "exercise_09_frozen.py": 0.6402, "exercise_09_cached.py": 0.6116,
    "exercise_09_four_layers.py": 0.6910, "exercise_09_unfreeze_top_two.py": 0.7809,
    "exercise_10_reuse_pretrained.py": 0.9654, "exercise_10_from_scratch.py": 0.9458,
}


def entry(script="a.py", book=0.9700, tolerance=1.0, epochs=20, requires=None, ci=False):
    return Entry(script=script, listing="test listing", epochs=epochs, batch=50,
                 book_accuracy=book, split="validation", tolerance=tolerance, ci=ci,
                 requires=requires)


# --- reading a script's accuracy ------------------------------------------------------------

@pytest.mark.parametrize("output, expected", [
    ("0 Test accuracy: 0.9012\n19 Test accuracy: 0.9742\n", (0.9742, "test")),
    ("19 Test accuracy: 0.9742", (0.9742, "test")),
    ("35 Batch accuracy: 0.98 Validation accuracy: 0.9788", (0.9788, "validation")),
    ("0\tValidation loss: 0.1\tBest loss: 0.1\tAccuracy: 98.00%\nEarly stopping!\n"
     "Final test accuracy: 97.26%\n", (0.9726, "test")),
    ("Final test accuracy: 97.26 %", (0.9726, "test")),
    ("ACCURACY 0.5", (0.5, None)),
    ("Winner's test accuracy: 0.97\nsaved\n", (0.97, "test")),
    ("3 Test accuracy: 1.0", (1.0, "test")),
    ("4 Test accuracy: 9.7e-01", (0.97, "test")),
    ("0 Test accuracy: 0.9\nAccuracy summary follows\n", (0.9, "test")),
    ("no numbers here\nloss 0.3", None),
    ("", None),
])
def test_parse_accuracy(output, expected):
    parsed = book_check.parse_accuracy(output)
    if expected is None:
        assert parsed is None
    else:
        assert parsed[0] == pytest.approx(expected[0])
        assert parsed[1] == expected[1]


def test_parse_accuracy_takes_lines():
    assert book_check.parse_accuracy(["1 Test accuracy: 0.5", "2 Test accuracy: 0.75"]) == \
        (0.75, "test")


# --- the tolerance rule ---------------------------------------------------------------------

def test_difference_in_points():
    assert Result(entry(book=0.9742), accuracy=0.9751).difference == pytest.approx(0.09)
    assert Result(entry(book=None), accuracy=0.9751).difference is None
    assert Result(entry(), status="failed").difference is None


@pytest.mark.parametrize("ours, tolerance, full_length, fails, word", [
    (0.9700, 1.0, True, False, "ok"),
    (0.9800, 1.0, True, False, "ok"),           # above the book
    (0.9601, 1.0, True, False, "ok"),           # 0.99 points below
    (0.9599, 1.0, True, True, "BELOW"),         # 1.01 points below
    (0.9450, 3.0, True, False, "ok"),           # exercise tolerance
    (0.9350, 3.0, True, True, "BELOW"),
    (0.9000, 6.0, True, True, "BELOW"),
    (0.5000, 1.0, False, False, "capped"),      # capped runs are not judged
])
def test_tolerance(ours, tolerance, full_length, fails, word):
    result = Result(entry(book=0.9700, tolerance=tolerance), accuracy=ours,
                    full_length=full_length)
    assert book_check.failed(result) is fails
    assert book_check.verdict(result).startswith(word)


def test_failures_always_fail():
    for status in ("failed", "no accuracy", "skipped", "timeout"):
        for full_length in (True, False):
            result = Result(entry(), status=status, full_length=full_length)
            assert book_check.failed(result)
            assert book_check.verdict(result) == status.upper()


def test_no_book_figure_is_not_judged():
    result = Result(entry(book=None), accuracy=0.1)
    assert not book_check.failed(result)
    assert book_check.verdict(result) == "no book figure"


# --- selection and order --------------------------------------------------------------------

ENTRIES = [entry("base.py"), entry("child.py", requires="base.py"),
           entry("grandchild.py", requires="child.py"), entry("other.py", ci=True),
           entry("alone.py", ci=True)]


def names(entries):
    return [e.script for e in entries]


def test_select_everything_keeps_file_order():
    assert names(book_check.select(ENTRIES)) == names(ENTRIES)


def test_select_only_pulls_in_dependencies_first():
    assert names(book_check.select(ENTRIES, only=["grandchild"])) == \
        ["base.py", "child.py", "grandchild.py"]
    assert names(book_check.select(ENTRIES, only=["alone.py", "child.py"])) == \
        ["base.py", "child.py", "alone.py"]


def test_select_dependencies_listed_after_their_users():
    reordered = [ENTRIES[2], ENTRIES[1], ENTRIES[0]]
    assert names(book_check.select(reordered)) == ["base.py", "child.py", "grandchild.py"]


def test_select_ci():
    assert names(book_check.select(ENTRIES, ci=True)) == ["other.py", "alone.py"]


def test_select_unknown_and_circular():
    with pytest.raises(KeyError):
        book_check.select(ENTRIES, only=["nope"])
    with pytest.raises(ValueError, match="circular"):
        book_check.select([entry("a.py", requires="b.py"), entry("b.py", requires="a.py")])


def test_working_groups_share_a_directory_along_requires():
    groups = book_check.working_groups(ENTRIES)
    assert groups["base.py"] == groups["child.py"] == groups["grandchild.py"] == "base"
    assert groups["other.py"] == "other" and groups["alone.py"] == "alone"


# --- the table ------------------------------------------------------------------------------

RESULTS = [
    Result(entry("batch_normalization.py", book=0.9742), accuracy=0.9751, split="test",
           seconds=61.25),
    Result(entry("dropout.py", book=0.9720), accuracy=0.9500, split="test", seconds=120.0),
    Result(entry("early_stopping.py", book=None), accuracy=0.9800, split="test", seconds=5.0),
    Result(entry("broken.py"), status="failed", seconds=1.5, detail="exit status 1\nBoom"),
    Result(entry("after_broken.py", requires="broken.py"), status="skipped",
           detail="broken.py (which it restores) did not run through"),
]


def test_format_table():
    table = book_check.format_table(RESULTS)
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["script", "split", "(book/ours)"]
    assert set(lines[1]) <= {"-", " "}
    row = next(line for line in lines if line.startswith("batch_normalization.py"))
    assert row.split() == ["batch_normalization.py", "validation/test", "0.9742", "0.9751",
                           "+0.09", "61.2", "ok"]
    assert "-2.20" in next(line for line in lines if line.startswith("dropout.py"))
    assert "BELOW" in table and "FAILED" in table and "SKIPPED" in table
    assert "no book figure" in table


def test_format_markdown():
    report = book_check.format_markdown(RESULTS, epochs_cap=None)
    rows = [line for line in report.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + len(RESULTS)
    assert rows[0].startswith("| script | split (book/ours) | book | ours | diff (points)")
    assert all(row.count("|") == 8 for row in rows)
    assert "| batch_normalization.py | validation/test | 0.9742 | 0.9751 | +0.09 | 61.2 | ok |" \
        in report
    assert "full length" in report
    assert "### broken.py" in report and "Boom" in report
    assert "epochs capped at 2" in book_check.format_markdown(RESULTS, epochs_cap=2)


def test_format_markdown_lists_the_entries_notes():
    noted = Result(Entry(script="chapter.py", listing="x", epochs=1, batch=1, book_accuracy=None,
                         note="compared through notebook.py instead"), accuracy=0.96, split="test")
    report = book_check.format_markdown(RESULTS + [noted])
    assert "## Notes" in report
    assert "- chapter.py: compared through notebook.py instead" in report
    assert "## Notes" not in book_check.format_markdown(RESULTS)


def test_chapter_batch_norm_listing_points_at_its_notebook_variant():
    """The chapter's batch-norm listing (contrib He init, factor 2.0) carries no book figure;
    the notebook's variant (tf.variance_scaling_initializer, validation split) does, and the
    two scripts differ only in those lines (the initializer and the evaluation)."""
    entries = {e.script: e for e in book_check.load_entries()}
    chapter = entries["batch_normalization.py"]
    notebook = entries["batch_normalization_notebook.py"]
    assert chapter.book_accuracy is None and "batch_normalization_notebook.py" in chapter.note
    assert notebook.book_accuracy == 0.9742 and notebook.split == "validation" and notebook.ci
    code = [[line for line in (SCRIPTS / e.script).read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")] for e in (chapter, notebook)]
    changed = [(a, b) for a, b in zip(*code) if a != b]
    assert len(code[0]) == len(code[1]) and len(changed) == 4
    assert "tf.contrib.layers.variance_scaling_initializer()" in changed[0][0]
    assert "tf.variance_scaling_initializer()" in changed[0][1]
    assert "mnist.validation.images" in changed[1][1]
    assert "mnist.validation.labels" in changed[2][1]
    assert "Validation accuracy" in changed[3][1]


# --- main() with fake runs ------------------------------------------------------------------

@pytest.fixture
def fake_runs(tmp_path, monkeypatch):
    """main() over three fake scripts whose run_script returns the accuracy given per name."""
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    entries = [entry("first.py", book=0.9700), entry("second.py", book=0.9700,
                                                     requires="first.py", ci=True),
               entry("third.py", book=None)]
    for e in entries:
        (scripts / e.script).write_text("print('Test accuracy:', 0.97)\n")
    monkeypatch.setattr(book_check, "load_entries", lambda path=None: entries)
    outcomes = {}
    calls = []

    def fake_run(e, path, workdir, epochs_cap=None, timeout=None, out=None, env=None):
        calls.append((e.script, Path(workdir).name, epochs_cap))
        status, accuracy = outcomes.get(e.script, ("ok", 0.9700))
        return Result(e, status=status, accuracy=accuracy, split="test", seconds=1.0,
                      full_length=epochs_cap is None or epochs_cap >= e.epochs,
                      detail="" if status == "ok" else "exit status 1\nboom")

    monkeypatch.setattr(book_check, "run_script", fake_run)
    return scripts, outcomes, calls


def test_main_passes(fake_runs, tmp_path, capsys):
    scripts, _, calls = fake_runs
    report = tmp_path / "report.md"
    assert book_check.main(["--scripts-dir", str(scripts), "--report", str(report)]) == 0
    assert calls == [("first.py", "first", None), ("second.py", "first", None),
                     ("third.py", "third", None)]
    out = capsys.readouterr().out
    assert "[1/3] first.py" in out and "[3/3] third.py" in out
    assert "all within the book's tolerance" in out
    assert report.read_text().count("| first.py |") == 1


def test_main_fails_below_tolerance_only_at_full_length(fake_runs):
    scripts, outcomes, _ = fake_runs
    outcomes["second.py"] = ("ok", 0.9500)
    assert book_check.main(["--scripts-dir", str(scripts)]) == 1
    assert book_check.main(["--scripts-dir", str(scripts), "--epochs-cap", "1"]) == 0
    assert book_check.main(["--scripts-dir", str(scripts), "--epochs-cap", "20"]) == 1


def test_main_failure_skips_dependents(fake_runs, capsys):
    scripts, outcomes, calls = fake_runs
    outcomes["first.py"] = ("failed", None)
    assert book_check.main(["--scripts-dir", str(scripts), "--epochs-cap", "1"]) == 1
    assert [call[0] for call in calls] == ["first.py", "third.py"]
    out = capsys.readouterr().out
    assert "SKIPPED" in out and "2 failed: first.py, second.py" in out


def test_main_only_and_ci(fake_runs):
    scripts, _, calls = fake_runs
    assert book_check.main(["--scripts-dir", str(scripts), "--only", "second"]) == 0
    assert [call[0] for call in calls] == ["first.py", "second.py"]
    calls.clear()
    assert book_check.main(["--scripts-dir", str(scripts), "--ci"]) == 0
    assert [call[0] for call in calls] == ["first.py", "second.py"]


def test_main_jobs_runs_independent_chains_side_by_side(fake_runs, monkeypatch, capsys):
    import threading
    scripts, _, calls = fake_runs
    running = {name: threading.Event() for name in ("first.py", "third.py")}
    fake_run = book_check.run_script

    def meeting_run(e, path, workdir, epochs_cap=None, timeout=None, out=None, env=None):
        if e.script in running:  # first.py and third.py each wait until the other runs
            running[e.script].set()
            other = running["third.py" if e.script == "first.py" else "first.py"]
            assert other.wait(timeout=30), f"{e.script} ran alone"
        print(f"output of {e.script}", file=out)
        return fake_run(e, path, workdir, epochs_cap, timeout, out, env)

    monkeypatch.setattr(book_check, "run_script", meeting_run)
    assert book_check.main(["--scripts-dir", str(scripts), "--jobs", "2"]) == 0
    order = [call[0] for call in calls]
    assert sorted(order) == ["first.py", "second.py", "third.py"]
    assert order.index("first.py") < order.index("second.py")  # a chain stays in order
    out = capsys.readouterr().out
    for script in ("first.py", "second.py", "third.py"):  # each script's block in one piece
        header = out.index(f"] {script}:")
        assert out.index(f"output of {script}", header) < out.index("=>", header)
    assert "all within the book's tolerance" in out
    with pytest.raises(SystemExit):
        book_check.main(["--scripts-dir", str(scripts), "--jobs", "0"])


def test_main_bad_arguments(fake_runs, capsys):
    scripts, _, _ = fake_runs
    with pytest.raises(SystemExit) as exc:
        book_check.main(["--scripts-dir", str(scripts), "--only", "nope"])
    assert exc.value.code == 2
    assert "no chapter-11 script named 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        book_check.main(["--scripts-dir", str(scripts / "missing")])
    with pytest.raises(SystemExit):
        book_check.main(["--scripts-dir", str(scripts), "--epochs-cap", "0"])


def test_run_script_streams_and_reads(tmp_path, monkeypatch):
    """run_script on a script that needs no tfcompat feature: streamed output, accuracy,
    exit status, and the epochs cap reaching the script."""
    script = tmp_path / "tiny.py"
    script.write_text("import os\nprint('cap', os.environ.get('TFCOMPAT_EPOCHS_CAP'))\n"
                      "print(0, 'Test accuracy:', 0.25)\nprint(1, 'Test accuracy:', 0.5)\n")
    out = io.StringIO()
    result = book_check.run_script(entry("tiny.py", book=0.5), script, tmp_path, epochs_cap=3,
                                   out=out)
    assert result.status == "ok" and result.returncode == 0
    assert (result.accuracy, result.split) == (0.5, "test")
    assert not result.full_length
    assert out.getvalue().splitlines() == ["    cap 3", "    0 Test accuracy: 0.25",
                                           "    1 Test accuracy: 0.5"]
    monkeypatch.setenv("TFCOMPAT_EPOCHS_CAP", "7")
    result = book_check.run_script(entry("tiny.py"), script, tmp_path, out=io.StringIO())
    assert result.output[0] == "cap None" and result.full_length

    script.write_text("print('Test accuracy: 0.5')\nraise SystemExit(3)\n")
    result = book_check.run_script(entry("tiny.py"), script, tmp_path, out=io.StringIO())
    assert result.status == "failed" and result.returncode == 3
    assert result.detail.startswith("exit status 3")

    script.write_text("print('done')\n")
    result = book_check.run_script(entry("tiny.py"), script, tmp_path, out=io.StringIO())
    assert result.status == "no accuracy"

    script.write_text("import time\nprint('Test accuracy: 0.5', flush=True)\ntime.sleep(60)\n")
    result = book_check.run_script(entry("tiny.py"), script, tmp_path, timeout=5,
                                   out=io.StringIO())
    assert result.status == "timeout" and result.seconds < 30


# --- the data file --------------------------------------------------------------------------

def test_data_file_has_one_entry_per_script():
    entries = book_check.load_entries()
    scripts = sorted(path.name for path in SCRIPTS.glob("*.py"))
    assert sorted(e.script for e in entries) == scripts
    assert len({e.script for e in entries}) == len(entries)


def test_data_file_matches_the_book():
    entries = {e.script: e for e in book_check.load_entries()}
    figures = {script: e.book_accuracy for script, e in entries.items()
               if e.book_accuracy is not None}
    assert figures == BOOK_FIGURES
    for script, e in entries.items():
        assert e.split in ("validation", "test")
        assert e.epochs > 0 and e.batch > 0 and e.listing
        expected = (6.0 if script.startswith("exercise_09") else
                    3.0 if script.startswith(("exercise_08", "exercise_10")) else 1.0)
        assert e.tolerance == expected, script
    assert sorted(e.script for e in entries.values() if e.ci) == \
        ["batch_normalization_notebook.py", "dropout.py", "exponential_decay.py",
         "l1_regularization.py"]
    # Exercise figures are test accuracies, the others the notebook's validation accuracies.
    for script in BOOK_FIGURES:
        assert entries[script].split == ("test" if script.startswith("exercise") else
                                         "validation"), script


def test_scripts_say_what_runs_first():
    for e in book_check.load_entries():
        text = (SCRIPTS / e.script).read_text()
        if e.requires:
            header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
            assert re.search(r"Run .*" + re.escape(e.requires) + r".* first", header,
                             re.S), e.script
            assert book_check._find(book_check.load_entries(), e.requires)
        uses_infty = "np.infty" in text
        assert e.numpy_aliases == uses_infty, e.script


def test_epoch_counts_match_the_scripts():
    """The data file's epochs and batch are the scripts' own n_epochs and batch_size."""
    for e in book_check.load_entries():
        text = (SCRIPTS / e.script).read_text()
        epochs = [int(n) for n in re.findall(r"\bn_epoch(?:e)?s\s*=\s*(\d+)", text)]
        batches = [int(n) for n in re.findall(r"\bbatch_size\s*=\s*(\d+)", text)]
        assert e.epochs in epochs, e.script
        assert e.batch in batches, e.script


# --- the real thing: the CI set at full length ----------------------------------------------

def test_book_check_ci_full_length(tmp_path, mnist_environment):
    """`tfcompat book-check --ci` at full length holds the book's 1.0-point bar for batch
    normalization, dropout, l1 regularization and exponential decay."""
    env = dict(mnist_environment)
    env.pop("TFCOMPAT_EPOCHS_CAP", None)
    report = tmp_path / "book-check.md"
    completed = subprocess.run(
        [sys.executable, "-m", "tfcompat", "book-check", "--ci", "--report", str(report)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=1800)
    tail = "\n".join(completed.stdout.splitlines()[-40:])
    print(completed.stdout)
    assert completed.returncode == 0, tail
    text = report.read_text()
    for script in ("batch_normalization_notebook.py", "dropout.py", "l1_regularization.py",
                   "exponential_decay.py"):
        row = next(line for line in text.splitlines() if line.startswith(f"| {script} |"))
        assert row.endswith("| ok |"), row
