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
  - <!-- docs-test: skip REASON --> on the line before a block: not run (an
    example that needs another machine, or shows a shape, not a session).
  - <!-- docs-test: write PATH --> on the line before a block of any
    language: its text is written to PATH (a glob, relative to the
    working folder, may name one existing file), as a reader would edit it.
  - <!-- docs-test: exec --> on the line before a block of commands that
    shows no output (```sh): the block runs with `bash -e`, and must exit 0.
  - <!-- docs-test: run COMMAND --> on a line of its own: COMMAND runs
    there, unseen and unchecked (an edit the text describes in words, or
    the state an example starts from).
  - <!-- docs-test: postgres --> on a line of its own: from there on the
    page's commands run with $DATABASE_URL naming a new, empty database on
    the test server ($MIGRATE_TEST_PG_URL), dropped at the end. Without a
    test server the rest of the page is not run, and the runner says so.
    `<!-- docs-test: postgres pgbouncer -->`: the same database, reached
    through the test PgBouncer ($MIGRATE_TEST_PGBOUNCER_URL, transaction
    mode; shown as postgresql://app@pgbouncer:6432/app).
Every block is accounted for: a fenced block of another language that
shows a `migrate` command must be run (console, exec), be marked skip, or
carry the mark of the test that runs it (see OTHER_RUNNERS); an indented
block of `$ ` commands is refused (write it as a console block).
Revision ids: a `migrate revision` or `migrate merge` whose page output
shows "Generating .../<id>_..." is run with `--rev-id <id>`, so the page's
ids are the real ones. Output is compared after normalising what differs
from run to run: the session's folder (shown as /tmp), timestamps,
durations, checksums, user@host, the test server's database URL (shown as
postgresql://app@db/app), and runs of spaces inside a line (table columns
widen with the values). Exits 1 with a diff for each command whose output
differs, naming the page and line.
"""
import argparse
import difflib
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

MARK = re.compile(r"<!--\s*docs-test:\s*(\w+)\s*(.*?)\s*-->")
# Marks of the other tests that run a page's blocks: such a block is theirs.
OTHER_RUNNERS = re.compile(
    r"<!--\s*(exercise:|lint-example:|guard-example|dry-run-example|backfill-example|"
    r"checked by )")
FENCE = re.compile(r"^```(\w*)\s*$")
GENERATING = re.compile(r"Generating (\S*/)?([0-9a-f]{12})_\S*\.sql")
# A `migrate` command in a block's text: at a line's start, after a prompt,
# a pipe, `&&`, `run:`, a YAML list's `- ` or `$(`.
SHOWS_MIGRATE = re.compile(r"(^|\$ |\| |&& |run: |- |\$\()\s*migrate\s+[a-z-]", re.M)
NORMALISE = [
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d(:?\d\d)?)?"), "<TIME>"),
    (re.compile(r"\b\d+(\.\d+)? ?(ms|s|µs)\b"), "<DURATION>"),
    (re.compile(r"\b[\w.-]+@[\w.-]+\b(?=[ |,\":]|$)"), "<USER@HOST>"),
    (re.compile(r"\b[0-9a-f]{12}…"), "<CHECKSUM>…"),
    (re.compile(r"(?<=\S)  +"), "  "),
]


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def blocks(path):
    """(line, language, mark, mark_arg, text lines) for each fenced block and
    each `run` or `postgres` mark, in page order."""
    lines = read_text(path).split("\n")
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or not m.group(1):
            mark = MARK.search(lines[i])
            if mark and mark.group(1) in ("run", "postgres"):
                out.append((i + 1, None, mark.group(1), mark.group(2), []))
            i += 1
            continue
        before = lines[i - 1] if i > 0 else ""
        mark = MARK.search(before)
        if mark and mark.group(1) in ("run", "postgres"):
            mark = None  # a mark of its own line, not of the block
        if not mark and OTHER_RUNNERS.search(before):
            mark_name = "elsewhere"
        else:
            mark_name = mark.group(1) if mark else None
        j = i + 1
        while j < len(lines) and lines[j].rstrip() != "```":
            j += 1
        out.append((i + 1, m.group(1), mark_name, mark.group(2) if mark else "", lines[i + 1:j]))
        i = j + 1
    return out


def unaccounted(path):
    """Messages for the blocks of the page that show a `migrate` command and
    that no test runs, nor a mark explains."""
    out = []
    for line, lang, mark, _, text in blocks(path):
        if lang is None or lang == "console" or mark is not None:
            continue
        if SHOWS_MIGRATE.search("\n".join(text)):
            out.append("%s:%d: a ```%s block shows a migrate command that no test runs: make it "
                       "a console block, mark it <!-- docs-test: exec --> or "
                       "<!-- docs-test: skip REASON -->" % (path, line, lang))
    fenced = False
    for n, l in enumerate(read_text(path).split("\n"), 1):
        if FENCE.match(l):
            fenced = not fenced
        elif not fenced and l.startswith("    $ "):
            out.append("%s:%d: an indented block of `$ ` commands is not run: write it as a "
                       "```console block" % (path, n))
    return out


class Session:
    def __init__(self, migrate, repo):
        self.root = tempfile.mkdtemp(prefix="migrate-docs-")
        self.cwd = self.root
        self.pg_url = None  # the page's own database, once a `postgres` mark made it
        self.bouncer_url = None  # the same through PgBouncer (`postgres pgbouncer`)
        self.server = os.environ.get("MIGRATE_TEST_PG_URL", "")
        self.bouncer = os.environ.get("MIGRATE_TEST_PGBOUNCER_URL", "")
        bindir = os.path.dirname(os.path.abspath(migrate))
        self.env = dict(os.environ, REPO=repo, PATH=bindir + os.pathsep + os.environ["PATH"],
                        COLUMNS="100", TZ="UTC", LC_ALL="C.UTF-8")
        for k in ("DATABASE_URL", "MIGRATE_CONFIG", "MIGRATE_NO_CACHE", "PGPASSWORD",
                  "MIGRATE_TEST_PG_URL", "MIGRATE_TEST_PG_DIR", "MIGRATE_TEST_PG_PASSWORD",
                  "MIGRATE_TEST_PGBOUNCER_URL", "MIGRATE_TEST_PGBOUNCER_DIR"):
            self.env.pop(k, None)

    def to_real(self, text):
        return text.replace("/tmp", self.root)

    def to_page(self, text):
        text = text.replace(self.root, "/tmp")
        if self.bouncer_url:
            text = text.replace(self.redacted(self.bouncer_url),
                                "postgresql://app@pgbouncer:6432/app")
        if self.pg_url:
            text = text.replace(self.redacted(self.pg_url), "postgresql://app@db/app")
        return text

    @staticmethod
    def redacted(url):
        """The URL as migrate prints it: the password as ***."""
        return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", url)

    def use_postgres(self, through=""):
        """A new database on the test server for the rest of the page
        (`through` "pgbouncer": reached through the test PgBouncer); False
        when there is no test server (or PgBouncer)."""
        if not self.server or (through == "pgbouncer" and not self.bouncer):
            return False
        name = "docs_%d" % random.randrange(10**9)
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.server, "-c",
                        "CREATE DATABASE " + name], check=True, stdout=subprocess.DEVNULL)
        self.pg_name = name
        self.pg_url = re.sub(r"/[^/?]*(\?|$)", "/" + name + r"\1", self.server, count=1)
        self.env["DATABASE_URL"] = self.pg_url
        if through == "pgbouncer":
            self.bouncer_url = re.sub(r"/[^/?]*(\?|$)", "/" + name + r"\1", self.bouncer,
                                      count=1)
            self.env["DATABASE_URL"] = self.bouncer_url
        return True

    def run(self, command, check=False):
        pwd_file = os.path.join(self.root, ".docs-test-pwd")
        script = 'cd "$1" || exit 97\n%s\n__rc=$?\npwd > "$2"\nexit $__rc\n' % command
        p = subprocess.run(["bash", "-c", script, "docs-test", self.cwd, pwd_file],
                           env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=120)
        if os.path.exists(pwd_file):
            self.cwd = read_text(pwd_file).strip()
            os.unlink(pwd_file)
        return p.returncode, p.stdout.decode("utf-8", "replace")

    def write(self, pattern, text):
        target = self.to_real(pattern)
        matches = glob.glob(os.path.join(self.cwd, target))
        path = matches[0] if len(matches) == 1 else os.path.join(self.cwd, target)
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_real(text))

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)
        if self.pg_url:
            subprocess.run(["psql", "-X", "-q", self.server, "-c",
                            "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.pg_name],
                           stdout=subprocess.DEVNULL)


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
    """Runs the page; returns the number of commands whose output differs
    (and of blocks no test accounts for). With `update`, rewrites those
    outputs in the page with what migrate printed (a way to refresh a page
    after a deliberate change: read the diff before committing it)."""
    problems = unaccounted(path)
    for p in problems:
        print(p)
    failures = len(problems)
    edits = []
    s = Session(migrate, repo)
    try:
        for line, lang, mark, arg, text in blocks(path):
            if mark in ("skip", "elsewhere"):
                continue
            if mark == "postgres":
                if not s.use_postgres(arg):
                    print("%s:%d: the rest of the page needs the PostgreSQL test server "
                          "($MIGRATE_TEST_PG_URL%s): not run"
                          % (path, line, ", $MIGRATE_TEST_PGBOUNCER_URL" if arg else ""))
                    break
                continue
            if mark == "run":
                s.run(s.to_real(arg))
                continue
            if mark == "write":
                s.write(arg, "\n".join(text) + "\n")
                continue
            if mark == "exec":
                rc, out = s.run("set -e\n" + s.to_real("\n".join(text)))
                if rc != 0:
                    failures += 1
                    print("%s:%d: the block exited %d:" % (path, line, rc))
                    print("\n".join("    " + l for l in s.to_page(out).rstrip("\n").split("\n")))
                continue
            if lang != "console":
                continue
            for command, expected, at, count in commands(text, line):
                _, actual = s.run(s.to_real(pin_id(command, expected)))
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
        lines = read_text(path).split("\n")
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
