#!/usr/bin/python3
"""Docs that cannot go stale: runs the console blocks of Markdown pages
against the real `migrate` binary and compares their output.

Convention (docs/README.md, "Examples are tests"):
  - A fenced ```console block holds commands, each on a line starting with
    "$ ", each followed by its expected output (stdout and stderr, merged)
    up to the next command or the end of the block. A line "..." in the
    expected output stands for any number of lines.
  - Each page is one session: it starts in an empty temporary folder, which
    the page calls /tmp (so /tmp/shop is a folder of the session), and the
    blocks run in order, the working folder carried from command to
    command (`cd` works). $REPO is the repository (sample_project/ is
    copied from there); `migrate` is the binary under test, on PATH.
  - <!-- docs-test: skip --> on the line before a block: not run (an
    example that needs a server, or shows a shape, not a session).
  - <!-- docs-test: write PATH --> on the line before a block of any
    language: its text is written to PATH (a glob, relative to the
    working folder, may name one existing file), as a reader would edit it.
  - <!-- docs-test: run COMMAND --> on a line of its own: COMMAND runs
    there, unseen and unchecked (an edit the text describes in words).
Revision ids: a `migrate revision` or `migrate merge` whose page output
shows "Generating .../<id>_..." is run with `--rev-id <id>`, so the page's
ids are the real ones. Output is compared after normalising what differs
from run to run: the session's folder (shown as /tmp), timestamps,
durations, checksums, user@host. Exits 1 with a diff for each command whose
output differs, naming the page and line.
"""
import argparse
import difflib
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARK = re.compile(r"<!--\s*docs-test:\s*(\w+)\s*(.*?)\s*-->")
FENCE = re.compile(r"^```(\w*)\s*$")
GENERATING = re.compile(r"Generating (\S*/)?([0-9a-f]{12})_\S*\.sql")
NORMALISE = [
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d(:?\d\d)?)?"), "<TIME>"),
    (re.compile(r"\b\d+(\.\d+)? ?(ms|s|µs)\b"), "<DURATION>"),
    (re.compile(r"\b[\w.-]+@[\w.-]+\b(?=[ |,\":])"), "<USER@HOST>"),
    (re.compile(r"\b[0-9a-f]{12}…"), "<CHECKSUM>…"),
]


def blocks(path):
    """(line, language, mark, mark_arg, text lines) for each fenced block and
    each `run` mark, in page order."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or not m.group(1):
            mark = MARK.search(lines[i])
            if mark and mark.group(1) == "run":
                out.append((i + 1, None, "run", mark.group(2), []))
            i += 1
            continue
        mark = MARK.search(lines[i - 1]) if i > 0 else None
        j = i + 1
        while j < len(lines) and lines[j].rstrip() != "```":
            j += 1
        out.append((i + 1, m.group(1), mark.group(1) if mark else None,
                    mark.group(2) if mark else "", lines[i + 1:j]))
        i = j + 1
    return out


class Session:
    def __init__(self, migrate, repo):
        self.root = tempfile.mkdtemp(prefix="migrate-docs-")
        self.cwd = self.root
        bindir = os.path.dirname(os.path.abspath(migrate))
        self.env = dict(os.environ, REPO=repo, PATH=bindir + os.pathsep + os.environ["PATH"],
                        COLUMNS="100", TZ="UTC", LC_ALL="C.UTF-8")
        for k in ("DATABASE_URL", "MIGRATE_CONFIG", "MIGRATE_NO_CACHE", "PGPASSWORD"):
            self.env.pop(k, None)

    def to_real(self, text):
        return text.replace("/tmp", self.root)

    def to_page(self, text):
        return text.replace(self.root, "/tmp")

    def run(self, command):
        pwd_file = os.path.join(self.root, ".docs-test-pwd")
        script = 'cd "$1" || exit 97\n%s\n__rc=$?\npwd > "$2"\nexit $__rc\n' % command
        p = subprocess.run(["bash", "-c", script, "docs-test", self.cwd, pwd_file],
                           env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=120)
        if os.path.exists(pwd_file):
            self.cwd = open(pwd_file).read().strip()
            os.unlink(pwd_file)
        return p.stdout.decode("utf-8", "replace")

    def write(self, pattern, text):
        target = self.to_real(pattern)
        matches = glob.glob(os.path.join(self.cwd, target))
        path = matches[0] if len(matches) == 1 else os.path.join(self.cwd, target)
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_real(text))

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


def normalise(text):
    lines = [l.rstrip() for l in text.rstrip("\n").split("\n")]
    out = []
    for l in lines:
        for rx, rep in NORMALISE:
            l = rx.sub(rep, l)
        out.append(l)
    return out


def matches(expected, actual):
    """Line lists equal, where an expected "..." line matches any lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def pin_id(command, expected):
    """`migrate revision|merge` with the id its page output shows."""
    m = GENERATING.search("\n".join(expected))
    if not m:
        return command
    return re.sub(r"\bmigrate (revision|merge)\b", r"migrate \1 --rev-id " + m.group(2), command,
                  count=1)


def commands(lines, first):
    """(command, expected output lines, index of its first output line in
    the page, output line count) for each command of a console block whose
    text starts at page line index `first`."""
    out = []
    for k, l in enumerate(lines):
        if l.startswith("$ "):
            out.append([l[2:], [], first + k + 1, 0])
        elif out:
            out[-1][1].append(l)
            out[-1][3] += 1
    return out


def run_page(path, migrate, repo, update):
    """Runs the page; returns the number of commands whose output differs.
    With `update`, rewrites those outputs in the page with what migrate
    printed (a way to refresh a page after a deliberate change: read the
    diff before committing it)."""
    failures = 0
    edits = []
    s = Session(migrate, repo)
    try:
        for line, lang, mark, arg, text in blocks(path):
            if mark == "skip":
                continue
            if mark == "run":
                s.run(s.to_real(arg))
                continue
            if mark == "write":
                s.write(arg, "\n".join(text) + "\n")
                continue
            if lang != "console":
                continue
            for command, expected, at, count in commands(text, line):
                actual = s.run(s.to_real(pin_id(command, expected)))
                shown = s.to_page(actual)
                if not matches(normalise("\n".join(expected)), normalise(shown)):
                    failures += 1
                    print("%s:%d: `%s` printed something else:" % (path, at, command))
                    got = shown.rstrip("\n").split("\n") if shown.strip() else []
                    diff = difflib.unified_diff(expected, got, "page", "migrate", lineterm="", n=2)
                    print("\n".join("    " + d for d in diff))
                    edits.append((at, count, got))
    finally:
        s.close()
    if update and edits:
        lines = open(path, encoding="utf-8").read().split("\n")
        for at, count, got in reversed(edits):
            lines[at:at + count] = got
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--migrate", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--update", action="store_true",
                    help="write what migrate printed into the pages where it differs")
    ap.add_argument("pages", nargs="+")
    a = ap.parse_args()
    a.repo = os.path.abspath(a.repo)
    failures = 0
    for page in a.pages:
        n = run_page(os.path.join(a.repo, page), a.migrate, a.repo, a.update)
        print("%s: %s" % (page, "ok" if n == 0 else "%d command(s) differ" % n))
        failures += n
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
