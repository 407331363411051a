#!/usr/bin/env python3
"""Vendors mdBook's test suite into tests/fixtures/mdbook-testsuite/ for tests/mdbook_testsuite.rs.

    scripts/vendor-mdbook-testsuite.py PATH/TO/mdBook/tests/testsuite

Copies the fixture books of the compared areas (their `src/`, `book.toml`, `theme/`,
`expected/`) and writes `cases.json`: every check of every `#[test]` of the area's `.rs` file,
read from the Rust source (snapbox `str![[...]]` / `file![...]` expectations, `change_file`
steps, builds that must fail), in order. A check the comparison cannot run is kept with
`"kind": "n/a"` and the reason, so the per-area counts show it.

Only Python's standard library; run it again when updating the vendored mdBook version.
"""

import json
import re
import shutil
import sys
from pathlib import Path

AREAS = ["build", "config", "includes", "index", "markdown", "redirects", "rendering",
         "search", "toc", "theme"]

# What `mdbook init` writes (mdBook 0.5.4 `BookBuilder::build`): the book of `BookTest::init`.
INIT_BOOK = {
    "book.toml": "[book]\nauthors = []\nlanguage = \"en\"\nsrc = \"src\"\n",
    "src/SUMMARY.md": "# Summary\n\n- [Chapter 1](./chapter_1.md)\n",
    "src/chapter_1.md": "# Chapter 1\n",
}


class Lexer:
    """Just enough of Rust's lexical grammar: string literals (plain and raw), comments, and
    balanced brackets."""

    def __init__(self, s, i=0):
        self.s, self.i = s, i

    def skip_ws(self):
        s = self.s
        while self.i < len(s):
            if s[self.i].isspace():
                self.i += 1
            elif s.startswith("//", self.i):
                self.i = s.find("\n", self.i) if "\n" in s[self.i:] else len(s)
            elif s.startswith("/*", self.i):
                self.i = s.index("*/", self.i) + 2
            else:
                break

    def string_at(self, i):
        """(value, end) of the string literal at i, or None."""
        s = self.s
        if s.startswith("r#", i) or s.startswith('r"', i):
            j = i + 1
            hashes = 0
            while s[j] == "#":
                hashes += 1
                j += 1
            assert s[j] == '"'
            close = '"' + "#" * hashes
            end = s.index(close, j + 1)
            return s[j + 1:end], end + len(close)
        if s[i] == '"':
            out = []
            j = i + 1
            while s[j] != '"':
                c = s[j]
                if c == "\\":
                    n = s[j + 1]
                    if n == "\n":
                        j += 2
                        while s[j] in " \t\n":
                            j += 1
                        continue
                    if n == "u":
                        end = s.index("}", j)
                        out.append(chr(int(s[j + 3:end], 16)))
                        j = end + 1
                        continue
                    out.append({"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\",
                                '"': '"', "'": "'"}[n])
                    j += 2
                    continue
                out.append(c)
                j += 1
            return "".join(out), j + 1
        return None

    def balanced(self, open_at):
        """Text inside the bracket at open_at, and the index after its close."""
        s = self.s
        pairs = {"(": ")", "[": "]", "{": "}"}
        stack = [pairs[s[open_at]]]
        j = open_at + 1
        while stack:
            c = s[j]
            lit = self.string_at(j) if c in 'r"' and (c == '"' or s[j + 1] in '#"') and not s[j - 1].isalnum() else None
            if lit:
                j = lit[1]
                continue
            if s.startswith("//", j):
                j = s.index("\n", j)
                continue
            if c == "'" and j + 2 < len(s) and s[j + 2] == "'":
                j += 3
                continue
            if c in pairs:
                stack.append(pairs[c])
            elif c == stack[-1]:
                stack.pop()
            j += 1
        return s[open_at + 1:j - 1], j


def split_args(text):
    """Top-level comma-separated arguments."""
    lx = Lexer(text)
    args, start, j = [], 0, 0
    while j < len(text):
        c = text[j]
        if c in "([{":
            _, j = lx.balanced(j)
            continue
        lit = lx.string_at(j) if c == '"' or (c == "r" and j + 1 < len(text) and text[j + 1] in '#"' and (j == 0 or not text[j - 1].isalnum())) else None
        if lit:
            j = lit[1]
            continue
        if c == ",":
            args.append(text[start:j].strip())
            start = j + 1
        j += 1
    if text[start:].strip():
        args.append(text[start:].strip())
    return args


def literal(arg):
    """The value of a string-literal argument (`"x"`, `r#"x"#`, `&"x"`), or None."""
    arg = arg.lstrip("&").strip()
    lx = Lexer(arg)
    if not arg or arg[0] not in 'r"':
        return None
    got = lx.string_at(0)
    if got and got[1] == len(arg):
        return got[0]
    return None


def expectation(arg):
    """{"inline": text} / {"file": path} / None for a snapbox expectation argument."""
    arg = arg.strip()
    m = re.match(r"str!\s*\[\s*(\[?)(.*?)(\]?)\s*\]$", arg, re.S)
    if m:
        v = literal(m.group(2).strip())
        return None if v is None else {"inline": v}
    m = re.match(r"file!\s*\[\s*(.*)\]$", arg, re.S)
    if m:
        v = literal(m.group(1).strip())
        return None if v is None else {"file": v}
    v = literal(arg)
    return None if v is None else {"inline": v}


def chain_calls(body):
    """The method calls on the test's BookTest, in order: [(name, args_text)]; the book
    ("from_dir" path, or "init") first."""
    m = re.search(r"BookTest::(from_dir|init)\s*\(", body)
    if not m:
        return None
    lx = Lexer(body)
    inner, j = lx.balanced(m.end() - 1)
    calls = [("from_dir", inner) if m.group(1) == "from_dir" else ("init", inner)]
    # `let mut test = BookTest::...;` then `test.x(...)...;` statements.
    var = None
    lm = re.search(r"let\s+(?:mut\s+)?(\w+)\s*=\s*BookTest::", body)
    if lm and lm.start() < m.start():
        var = lm.group(1)
    while True:
        lx.i = j
        lx.skip_ws()
        j = lx.i
        mm = re.match(r"\.\s*(\w+)\s*\(", body[j:])
        if mm:
            inner, j = lx.balanced(j + mm.end() - 1)
            calls.append((mm.group(1), inner))
            continue
        if var is None:
            break
        # Next statement on the same variable.
        nm = re.compile(r"\b" + var + r"\s*\.\s*(\w+)\s*\(").search(body, j)
        if not nm:
            break
        between = body[j:nm.start()]
        if re.search(r"BookTest::|\blet\s+" + var + r"\b", between):
            break
        if between.strip(" \n;") and not re.fullmatch(r"[\s;]*", between):
            # Something else happens in between (assertions on files): keep going, it is
            # recorded as n/a by the caller only if it is a BookTest call.
            pass
        inner, j = lx.balanced(nm.end() - 1)
        calls.append((nm.group(1), inner))
    return calls


def tests_of(path):
    text = path.read_text()
    for m in re.finditer(r"#\[test\]\s*(?:#\[[^\]]*\]\s*)*fn\s+(\w+)\s*\(\)\s*(?:->[^{]*)?\{", text):
        lx = Lexer(text)
        body, _ = lx.balanced(m.end() - 1)
        yield m.group(1), body


def code_only(text):
    """`text` with the contents of its string literals removed."""
    lx = Lexer(text)
    out, j = [], 0
    while j < len(text):
        c = text[j]
        if c == '"' or (c == "r" and j + 1 < len(text) and text[j + 1] in '#"' and (j == 0 or not text[j - 1].isalnum())):
            lit = lx.string_at(j)
            if lit:
                out.append('""')
                j = lit[1]
                continue
        out.append(c)
        j += 1
    return "".join(out)


def cases_of(area, name, body):
    """The checks of one test function."""
    out = []
    calls = chain_calls(body)
    code = code_only(body)
    if calls is None or len(re.findall(r"BookTest::", code)) > 1 or re.search(r"fn\s+\w+\s*\(", code):
        return [{"kind": "n/a", "reason": "the test drives mdBook's Rust API or a helper, not a fixture book"}], None
    book_kind, book_arg = calls[0]
    book = literal(book_arg) if book_kind == "from_dir" else "_init"
    if book is None:
        return [{"kind": "n/a", "reason": "computed book path"}], None
    changes = []
    stopped = None
    for call, args_text in calls[1:]:
        args = split_args(args_text)
        if stopped:
            if call.startswith("check_"):
                out.append({"kind": "n/a", "reason": stopped})
            continue
        if call == "change_file":
            p, v = literal(args[0]), literal(args[1]) if len(args) > 1 else None
            if p is None or v is None:
                stopped = "a computed change_file"
                continue
            changes.append([p, v])
        elif call in ("build",):
            pass
        elif call == "run":
            cmd = literal(args[0]) if args else None
            closure = args[1] if len(args) > 1 else ""
            if cmd != "build":
                stopped = f"runs `mdbook {cmd}`"
                out.append({"kind": "n/a", "reason": stopped})
                continue
            if re.search(r"\.env\s*\(|\.args\s*\(|\.arg\s*\(|current_dir", closure):
                stopped = "configured through MDBOOK_* environment variables or CLI arguments"
                out.append({"kind": "n/a", "reason": stopped})
                continue
            if "expect_failure" in closure:
                out.append({"kind": "fails", "changes": list(changes)})
            elif "expect_stderr" in closure:
                out.append({"kind": "n/a", "reason": "compares mdBook's log output"})
        elif call == "check_main_file":
            p = literal(args[0])
            e = expectation(args[1]) if len(args) > 1 else None
            if p is None or e is None:
                out.append({"kind": "n/a", "reason": "computed expectation"})
                continue
            out.append({"kind": "main", "path": p, "changes": list(changes), **e})
        elif call == "check_all_main_files":
            out.append({"kind": "all_main", "changes": list(changes)})
        elif call == "check_file":
            p = literal(args[0])
            e = expectation(args[1]) if len(args) > 1 else None
            if p is None or e is None:
                out.append({"kind": "n/a", "reason": "computed expectation"})
            elif p.startswith("src/"):
                out.append({"kind": "source_file", "path": p, "changes": list(changes), **e})
            elif p.endswith(".html") and "redirects" == area:
                out.append({"kind": "redirect", "path": p, "changes": list(changes), **e})
            else:
                out.append({"kind": "n/a", "path": p, "reason": "compares a whole file of mdBook's theme or search format"})
        elif call.startswith("check_"):
            out.append({"kind": "n/a", "reason": f"`{call}` compares mdBook's theme markup, file list or search format"})
        elif call in ("rust_program", "load_book", "rm_r"):
            stopped = f"`{call}` (needs mdBook's Rust API or a compiled program)"
            out.append({"kind": "n/a", "reason": stopped})
    if not out:
        out.append({"kind": "n/a", "reason": "no check of the built book"})
    return out, book


def main():
    src = Path(sys.argv[1])
    dest = Path(__file__).resolve().parent.parent / "tests/fixtures/mdbook-testsuite"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    cases = []
    books = set()
    for area in AREAS:
        for name, body in tests_of(src / f"{area}.rs"):
            checks, book = cases_of(area, name, body)
            if book:
                books.add(book)
            for i, c in enumerate(checks):
                c = {"area": area, "test": name, "book": book, **c}
                cases.append(c)
    for book in sorted(books):
        if book == "_init":
            for p, v in INIT_BOOK.items():
                f = dest / "books/_init" / p
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_text(v)
            continue
        shutil.copytree(src / book, dest / "books" / book)
    for c in cases:
        if "file" in c:
            c["file"] = "books/" + c["file"]
            assert (dest / c["file"]).is_file(), c
    shutil.copy(src / "LICENSE", dest / "LICENSE")
    (dest / "cases.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")
    counts = {}
    for c in cases:
        counts.setdefault(c["area"], [0, 0])
        counts[c["area"]][c["kind"] == "n/a"] += 1
    for a, (app, na) in counts.items():
        print(f"{a:10} {app:3} applicable, {na:3} n/a")


if __name__ == "__main__":
    main()
