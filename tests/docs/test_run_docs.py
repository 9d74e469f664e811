#!/usr/bin/python3
"""The docs runner's own checks: a block that shows a migrate command and
that nothing runs is reported, a console block whose output differs fails,
an exec block that fails fails. Run by ctest (docs/runner)."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_docs  # noqa: E402

MIGRATE = None  # set from argv


def page(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8")
    f.write(text)
    f.close()
    return f.name


class Unaccounted(unittest.TestCase):
    def test_a_yaml_block_running_migrate_needs_a_mark(self):
        p = page("# t\n\n```yaml\n- run: migrate upgrade heads\n```\n")
        msgs = run_docs.unaccounted(p)
        self.assertEqual(len(msgs), 1)
        self.assertIn(":3: a ```yaml block shows a migrate command", msgs[0])

    def test_marks_account_for_a_block(self):
        for mark in ("<!-- docs-test: skip (GitHub runs it) -->", "<!-- docs-test: exec -->",
                     "<!-- exercise: run setup -->", "<!-- lint-example: fires x -->"):
            p = page("%s\n```sh\nmigrate upgrade heads\n```\n" % mark)
            self.assertEqual(run_docs.unaccounted(p), [], mark)

    def test_a_block_without_migrate_needs_nothing(self):
        self.assertEqual(run_docs.unaccounted(page("```sh\nls migrations\n```\n")), [])

    def test_an_indented_prompt_is_refused(self):
        msgs = run_docs.unaccounted(page("text\n\n    $ migrate current\n    abc\n"))
        self.assertEqual(len(msgs), 1)
        self.assertIn(":3: an indented block", msgs[0])


class Runs(unittest.TestCase):
    def run_page(self, text):
        return run_docs.run_page(page(text), MIGRATE, os.getcwd(), False)

    def test_matching_output_passes_and_differing_output_fails(self):
        self.assertEqual(self.run_page("```console\n$ echo hi\nhi\n```\n"), 0)
        self.assertEqual(self.run_page("```console\n$ echo hi\nho\n```\n"), 1)

    def test_state_carries_and_dots_match_lines(self):
        text = ("<!-- docs-test: run mkdir a && cd a && printf '1\\n2\\n3\\n' > f -->\n"
                "```console\n$ cat f\n1\n...\n3\n$ pwd\n/tmp/a\n```\n")
        self.assertEqual(self.run_page(text), 0)

    def test_a_run_mark_before_a_block_does_not_replace_it(self):
        text = "<!-- docs-test: run echo x > f -->\n```console\n$ cat f\ny\n```\n"
        self.assertEqual(self.run_page(text), 1)

    def test_an_exec_block_must_exit_0(self):
        self.assertEqual(self.run_page("<!-- docs-test: exec -->\n```sh\ntrue\n```\n"), 0)
        self.assertEqual(self.run_page("<!-- docs-test: exec -->\n```sh\nfalse\ntrue\n```\n"), 1)

    def test_the_migrate_under_test_is_on_path(self):
        self.assertEqual(self.run_page("```console\n$ migrate --version\nmigrate ...\n```\n"),
                         1)  # "..." is a line of its own, not a prefix
        self.assertEqual(self.run_page("```console\n$ migrate --version | cut -c1-8\nmigrate \n"
                                       "```\n"), 0)

    def test_widths_times_and_durations_are_normalised(self):
        self.assertEqual(run_docs.normalise("a    b  (2.5 ms) at 2026-11-24T00:18:36.350Z"),
                         run_docs.normalise("a  b  (12.25 ms) at 2027-01-01T10:00:00.000Z"))


if __name__ == "__main__":
    MIGRATE = sys.argv.pop(1)
    unittest.main()
