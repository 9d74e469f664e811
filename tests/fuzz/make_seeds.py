#!/usr/bin/python3
"""Writes the seed corpora tests/fuzz/<target>/ from real files of the repo
(sample_project/, templates/) and /work/shared/data (when present), plus a
few hand-made inputs for the structured targets (FuzzedDataProvider: strings
from the front, each ended by a backslash and another byte; numbers and
booleans from the back). Run once; the seeds are committed. Rerunning
rewrites them the same way (no randomness but a fixed seed)."""
import glob
import hashlib
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = "/work/shared/data"
MAX = 4096


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    data = data[:MAX]
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def fdp_string(s):
    """A string as FuzzedDataProvider.ConsumeRandomLengthString reads it."""
    return s.replace("\\", "\\\\") + "\\E"


def sections(path):
    text = open(path, encoding="utf-8").read()
    up = text.split("-- migrate:upgrade", 1)[1].split("-- migrate:downgrade", 1)
    return up[0], up[1] if len(up) > 1 else ""


def main():
    rng = random.Random(12)
    versions = sorted(glob.glob(os.path.join(REPO, "sample_project/migrations/versions/*.sql")))
    for v in versions:
        put("revision_file", open(v, "rb").read())
    put("revision_file", "-- revision: abc\n-- down_revision: null\n-- phase: backfill\n"
        "-- backfill:\n--   table: t\n--   key: id\n\n-- migrate:upgrade\nSELECT 1;\n"
        "-- migrate:downgrade\n")

    for y in glob.glob(os.path.join(REPO, "templates/*/migrate.yaml")) + [
            os.path.join(REPO, "sample_project/migrate.yaml")]:
        put("config", open(y, "rb").read())
    put("config", "script_location: ${FUZZ_UNSET:-migrations}\n"
        "database_url: ${FUZZ_URL}\nlock_timeout: 2s\nlint:\n  rules:\n    foo: off\n")
    put("config", "script_location: m\ndatabase_url: \"${FUZZ_A}$$x${FUZZ_EMPTY:-d}\"\n")

    for u in ["postgresql://app:secret@db.example.com:5432/app?sslmode=require",
              "postgres://u@h/db?%70assword=x", "postgresql:///db?host=/run/pg",
              "sqlite:///app.db", "postgresql://[::1]:5433/x?password=a&sslpassword=b"]:
        put("url", u.encode() + bytes([rng.randrange(256) for _ in range(4)]))

    ups = [sections(v)[0] for v in versions]
    for up in ups:
        put("sqlite_split", up)
    put("sqlite_split", "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n"
        "  SELECT ';';\nEND;\nINSERT INTO \"x;\" VALUES ('it''s'); -- done\n/* c; */")
    for up in ups:
        put("pg_split", up)
    put("pg_split", "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n"
        "CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT E'a\\';b';")
    for a in sorted(glob.glob(os.path.join(DATA, "migra_fixtures/*/a.sql")))[:12]:
        put("pg_split", open(a, "rb").read())
    for s in sorted(glob.glob(os.path.join(DATA, "real_schemas/*.sql")))[:2]:
        text = open(s, "rb").read()
        for i in range(3):
            start = text.find(b";\n", rng.randrange(len(text))) + 2
            put("pg_split", text[start:start + 3000])

    # offline_sql: [message, sql]* in front; at the back (read backwards):
    # pg?, count, then one transactional flag per revision.
    for i in range(0, len(ups) - 2, 3):
        chunk = ups[i:i + 3]
        front = "".join(fdp_string("rev %d" % j) + fdp_string(sql) for j, sql in enumerate(chunk))
        for pg in (0, 1):
            back = bytes([0, 0, 0, 2, pg])  # flags (read last to first), count 3, dialect
            put("offline_sql", front.encode() + back)
    put("offline_sql", (fdp_string("tidy\nDROP TABLE keep_me;") +
                        fdp_string("CREATE TABLE keep_me (id int);")).encode() + bytes([0, 0, 1]))

    for t in ("header_cache", "target_grammar"):
        for n in (16, 64, 256, 1024):
            put(t, bytes(rng.randrange(256) for _ in range(n)))
    lint_tree_seeds()
    return 0


def lint_tree_seeds():
    """lint_tree reads its input as SQL and as JSON: the lint corpus's
    upgrade sections, and JSON with escapes, numbers and nesting."""
    for f in sorted(glob.glob(os.path.join(REPO, "tests/lint_corpus/*/*.sql"))):
        put("lint_tree", sections(f)[0])
    put("lint_tree", "SELECT E'\\t\\u00e9', U&'\\0041', 1.5e3, $1, '';"
        " CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC DELETE FROM t; END;")
    put("lint_tree", '{"b": [1, -2, 3.5e-1, true, false, null, {}, []], "a": "x\\u00e9\\ud83d'
        '\\ude00\\n", "c": {"z": 1, "y": [[{"k": "v"}]]}, "b": 0, "d": 18446744073709551615}')


if __name__ == "__main__":
    sys.exit(main())
