#!/usr/bin/env python3
"""Generate a deterministic synthetic Markdown corpus for benchmarking.

    scripts/gen-corpus.py OUT --pages N [--seed S] [--format skillsite|mdbook|hugo]

Every format gets the same N content pages (about 600 words each) spread over
nested folders (about 20 top-level sections, each with sub-sections), plus one
index page per folder. Each content page has a title, h2/h3 headings, a GFM
table, code blocks in several languages, a task list, and relative `.md` links
to other pages, one of them to a heading anchor that exists in the target.

Layouts:
  skillsite  OUT/book.toml + OUT/src/**.md, YAML front matter, README.md per
             folder, no SUMMARY.md (the folder tree is the navigation).
  mdbook     The same tree without front matter (mdBook does not strip it),
             plus OUT/src/SUMMARY.md listing every page.
  hugo       OUT/hugo.toml, OUT/content/** with _index.md per folder, and a
             minimal OUT/layouts/ so Hugo renders every page; a link render
             hook turns the relative `.md` links into Hugo's pretty URLs.

Only the Python 3.11 standard library is used. The output depends only on N,
the seed and the format.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

WORDS = """
agent skill pack runbook deploy cluster node pod service release rollout
cache index build render template theme page section folder catalog search
pipeline stage artifact image registry manifest config secret token key vault
metric alert dashboard trace log span latency throughput budget quota limit
request response handler queue worker batch job schedule retry backoff timeout
schema field record table column value default override policy rule role user
tenant namespace network ingress gateway proxy route endpoint client server
module package crate library binary version tag branch commit review merge test
fixture snapshot coverage benchmark profile memory thread core process signal
""".split()

VERBS = """
configure validate render resolve deploy measure cache rebuild publish rotate
inspect migrate schedule retry compress index monitor review isolate restore
""".split()

ADJ = """
stable fast small large remote local shared private default custom strict lazy
incremental parallel nested stale fresh secure minimal explicit
""".split()

TOPICS = [
    "Overview", "Installation", "Configuration", "Architecture", "Operations",
    "Security", "Performance", "Troubleshooting", "Reference", "Migration",
]

LANGS = ["rust", "python", "bash", "json", "yaml", "toml", "typescript", "hcl"]

N_SECTIONS = 20
SUBS_PER_SECTION = 3


@dataclass
class Page:
    idx: int
    path: PurePosixPath  # relative to the content root, e.g. sec-01/sub-02/page-0007.md
    title: str
    h2: list[str] = field(default_factory=list)


@dataclass
class Folder:
    path: PurePosixPath  # "" for the root
    title: str
    children: list["Folder"] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)


def slug(text: str) -> str:
    """GitHub-style heading id (the headings used here are plain words)."""
    s = re.sub(r"[^\w\- ]", "", text.lower())
    return s.replace(" ", "-")


def sentence(rng: random.Random, words: int) -> str:
    ws = [rng.choice(WORDS) for _ in range(words)]
    ws[rng.randrange(len(ws))] = rng.choice(VERBS)
    if words > 6:
        ws[rng.randrange(len(ws))] = rng.choice(ADJ)
    s = " ".join(ws)
    return s[0].upper() + s[1:] + "."


def paragraph(rng: random.Random, n_sentences: int) -> str:
    parts = []
    for _ in range(n_sentences):
        s = sentence(rng, rng.randint(8, 16))
        r = rng.random()
        if r < 0.12:
            s = s.replace(" ", " `" + rng.choice(WORDS) + "_" + rng.choice(WORDS) + "` ", 1)
        elif r < 0.22:
            w = rng.choice(WORDS)
            s = s.replace(f" {w} ", f" **{w}** ", 1) if f" {w} " in s else s
        parts.append(s)
    return " ".join(parts)


def plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def heading_text(rng: random.Random) -> str:
    return f"{rng.choice(VERBS).capitalize()} the {rng.choice(ADJ)} {rng.choice(WORDS)}"


def code_block(rng: random.Random, lang: str, name: str) -> str:
    a, b, c = rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS)
    n = rng.randint(2, 64)
    snippets = {
        "rust": f"""use std::collections::HashMap;

/// Resolve every {a} for the {b} stage.
pub fn {name}(items: &[&str]) -> HashMap<String, usize> {{
    let mut counts = HashMap::new();
    for item in items.iter().filter(|s| !s.is_empty()) {{
        *counts.entry(item.to_string()).or_insert(0) += {n % 7 + 1};
    }}
    counts
}}""",
        "python": f"""from dataclasses import dataclass


@dataclass
class {a.capitalize()}{b.capitalize()}:
    name: str
    limit: int = {n}

    def {name}(self, values: list[int]) -> int:
        \"\"\"Sum the values that fit under the {c} limit.\"\"\"
        return sum(v for v in values if v <= self.limit)""",
        "bash": f"""#!/usr/bin/env bash
set -euo pipefail
for {a} in ./{b}/*.md; do
  echo "checking ${{{a}}}"
  grep -c '{c}' "${{{a}}}" || true
done
kubectl rollout status deployment/{name.replace('_', '-')} --timeout={n}s""",
        "json": f"""{{
  "name": "{name.replace('_', '-')}",
  "version": "1.{n}.0",
  "{a}": {{ "enabled": true, "limit": {n * 10} }},
  "tags": ["{b}", "{c}"]
}}""",
        "yaml": f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name.replace('_', '-')}
  labels:
    tier: {a}
spec:
  replicas: {n % 5 + 1}
  template:
    spec:
      containers:
        - name: {b}
          image: "registry.example.com/{c}:1.{n}.0\"""",
        "toml": f"""[{a}]
name = "{name}"
limit = {n}
enabled = true

[{a}.{b}]
paths = ["{c}/", "docs/"]""",
        "typescript": f"""export interface {a.capitalize()}Options {{
  {b}: string;
  limit?: number;
}}

export function {name}(opts: {a.capitalize()}Options): string[] {{
  const limit = opts.limit ?? {n};
  return [opts.{b}, "{c}"].slice(0, limit);
}}""",
        "hcl": f"""resource "aws_s3_bucket" "{a}_{b}" {{
  bucket = "{name.replace('_', '-')}-{n}"

  tags = {{
    Team = "{c}"
  }}
}}""",
    }
    return f"```{lang}\n{snippets[lang]}\n```"


def table(rng: random.Random) -> str:
    cols = ["Setting", "Default", "Scope", "Notes"]
    rows = ["| " + " | ".join(cols) + " |", "|" + "|".join(["---"] * len(cols)) + "|"]
    for _ in range(rng.randint(3, 6)):
        rows.append(
            f"| `{rng.choice(WORDS)}.{rng.choice(WORDS)}` | `{rng.randint(0, 999)}` "
            f"| {rng.choice(ADJ)} | {sentence(rng, rng.randint(4, 8))} |"
        )
    return "\n".join(rows)


def task_list(rng: random.Random) -> str:
    return "\n".join(
        f"- [{'x' if rng.random() < 0.4 else ' '}] {sentence(rng, rng.randint(4, 9))}"
        for _ in range(rng.randint(3, 6))
    )


def rel(from_page: PurePosixPath, to: PurePosixPath) -> str:
    return os.path.relpath(str(to), str(from_page.parent) or ".").replace(os.sep, "/")


def plan(n_pages: int, seed: int) -> tuple[Folder, list[Page]]:
    rng = random.Random(f"plan-{seed}")
    root = Folder(PurePosixPath(""), "Synthetic corpus")
    # 20 sections of 3 sub-sections for large corpora (2,000 pages: 25 pages a
    # folder); fewer folders for small ones so that none is left empty.
    n_sections = max(1, min(N_SECTIONS, n_pages // 25))
    n_subs = min(SUBS_PER_SECTION, n_pages // n_sections // 10)
    folders: list[Folder] = []
    for s in range(1, n_sections + 1):
        sec = Folder(PurePosixPath(f"sec-{s:02d}"), f"Section {s:02d}: {rng.choice(TOPICS)}")
        root.children.append(sec)
        folders.append(sec)
        for u in range(1, n_subs + 1):
            sub = Folder(sec.path / f"sub-{u:02d}", f"{rng.choice(ADJ).capitalize()} {rng.choice(WORDS)} {u}")
            sec.children.append(sub)
            folders.append(sub)
    pages = []
    for i in range(n_pages):
        folder = folders[i % len(folders)]
        title = f"{rng.choice(VERBS).capitalize()} {rng.choice(ADJ)} {plural(rng.choice(WORDS))} ({i + 1:04d})"
        page = Page(i, folder.path / f"page-{i + 1:04d}.md", title)
        seen = set()
        while len(page.h2) < 4:
            h = heading_text(rng)
            if slug(h) not in seen:
                seen.add(slug(h))
                page.h2.append(h)
        folder.pages.append(page)
        pages.append(page)
    return root, pages


def page_body(page: Page, pages: list[Page], seed: int) -> str:
    rng = random.Random(f"page-{seed}-{page.idx}")
    others = [p for p in rng.sample(pages, min(len(pages), 4)) if p.idx != page.idx][:3]
    langs = [LANGS[(page.idx + k * 3) % len(LANGS)] for k in range(3)]
    out = [f"# {page.title}", "", paragraph(rng, 5), ""]
    used_h3 = set()
    for k, h2 in enumerate(page.h2):
        out += [f"## {h2}", "", paragraph(rng, 4), ""]
        if k == 0:
            out += [table(rng), ""]
        if k < len(langs):
            h3 = heading_text(rng)
            while slug(h3) in used_h3 or slug(h3) in {slug(h) for h in page.h2}:
                h3 = heading_text(rng)
            used_h3.add(slug(h3))
            fn = f"{rng.choice(VERBS)}_{rng.choice(WORDS)}"
            out += [f"### {h3}", "", paragraph(rng, 3), "", code_block(rng, langs[k], fn), ""]
        if k == 2:
            out += [task_list(rng), ""]
    if others:
        out += ["## Related pages", ""]
        for j, o in enumerate(others):
            href = rel(page.path, o.path)
            if j == 0:
                href += "#" + slug(o.h2[rng.randrange(len(o.h2))])
            out.append(f"- [{o.title}]({href}): {sentence(rng, rng.randint(5, 9))}")
        out.append("")
    return "\n".join(out)


def index_body(folder: Folder, seed: int) -> str:
    rng = random.Random(f"index-{seed}-{folder.path}")
    out = [f"# {folder.title}", "", paragraph(rng, 3), ""]
    if folder.children:
        out += ["## Sections", ""]
        out += [f"- [{c.title}]({c.path.name}/README.md)" for c in folder.children]
        out.append("")
    if folder.pages:
        out += ["## Pages", ""]
        out += [f"- [{p.title}]({p.path.name})" for p in folder.pages]
        out.append("")
    return "\n".join(out)


def front_matter(title: str, description: str) -> str:
    esc = title.replace('"', '\\"')
    return f'---\ntitle: "{esc}"\ndescription: "{description}"\n---\n\n'


def walk(folder: Folder):
    yield folder
    for c in folder.children:
        yield from walk(c)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def summary(root: Folder) -> str:
    lines = ["# Summary", "", f"[{root.title}](README.md)", ""]

    def rec(folder: Folder, depth: int) -> None:
        ind = "  " * depth
        lines.append(f"{ind}- [{folder.title}]({folder.path}/README.md)")
        for p in folder.pages:
            lines.append(f"{ind}  - [{p.title}]({p.path})")
        for c in folder.children:
            rec(c, depth + 1)

    for sec in root.children:
        rec(sec, 0)
    return "\n".join(lines) + "\n"


HUGO_BASEOF = """<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ .Title }} - {{ .Site.Title }}</title>
</head>
<body>
<nav><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>{{ with .Parent }} / <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"""

HUGO_SINGLE = """{{ define "main" }}
<article>
{{ .Content }}
</article>
{{ end }}
"""

HUGO_LIST = """{{ define "main" }}
<article>
{{ .Content }}
</article>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ul>
{{ end }}
"""

# Relative .md links -> Hugo pretty URLs. A leaf page is served one directory
# deeper than its source file (page-0001.md -> page-0001/index.html), so its
# relative links need one more "../"; README.md links point at the folder.
HUGO_RENDER_LINK = """{{- $dest := .Destination -}}
{{- if and (not (strings.Contains $dest "://")) (strings.Contains $dest ".md") -}}
  {{- $u := urls.Parse $dest -}}
  {{- $p := replaceRE `(^|/)README\\.md$` "$1" $u.Path -}}
  {{- $p = replaceRE `\\.md$` "/" $p -}}
  {{- if not .Page.IsNode }}{{ $p = printf "../%s" $p }}{{ end -}}
  {{- $dest = cond (ne $u.Fragment "") (printf "%s#%s" $p $u.Fragment) $p -}}
{{- end -}}
<a href="{{ $dest | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>
"""


def generate(out: Path, n_pages: int, seed: int, fmt: str) -> tuple[int, int]:
    root, pages = plan(n_pages, seed)
    hugo = fmt == "hugo"
    with_fm = fmt != "mdbook"
    content = out / ("content" if hugo else "src")
    files = words = 0

    for folder in walk(root):
        body = index_body(folder, seed)
        if hugo:
            body = body.replace("/README.md)", "/)")
        text = (front_matter(folder.title, "Index of " + folder.title) if with_fm else "") + body
        name = "_index.md" if hugo else "README.md"
        write(content / folder.path / name, text)
        files += 1
        words += len(body.split())
        for p in folder.pages:
            body = page_body(p, pages, seed)
            text = (front_matter(p.title, f"Synthetic page {p.idx + 1} of {n_pages}.") if with_fm else "") + body
            write(content / p.path, text)
            files += 1
            words += len(body.split())

    if hugo:
        write(out / "hugo.toml", "\n".join([
            'baseURL = "https://example.org/"',
            'languageCode = "en"',
            f'title = "Synthetic corpus ({n_pages} pages, seed {seed})"',
            'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]',
            "",
            "[markup.goldmark.parser]",
            'autoHeadingIDType = "github"',
            "",
        ]))
        write(out / "layouts/_default/baseof.html", HUGO_BASEOF)
        write(out / "layouts/_default/single.html", HUGO_SINGLE)
        write(out / "layouts/_default/list.html", HUGO_LIST)
        write(out / "layouts/_default/_markup/render-link.html", HUGO_RENDER_LINK)
    else:
        write(out / "book.toml", "\n".join([
            "[book]",
            f'title = "Synthetic corpus ({n_pages} pages, seed {seed})"',
            'authors = ["gen-corpus.py"]',
            'language = "en"',
            'src = "src"',
            "",
        ]))
        if fmt == "mdbook":
            write(content / "SUMMARY.md", summary(root))
    return files, words


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output directory (must not exist or be empty)")
    ap.add_argument("--pages", type=int, default=2000, help="number of content pages (default 2000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--format", choices=["skillsite", "mdbook", "hugo"], default="skillsite")
    ap.add_argument("--force", action="store_true", help="delete OUT first if it exists")
    args = ap.parse_args(argv)
    if args.pages < 1:
        ap.error("--pages must be at least 1")
    if args.out.exists() and any(args.out.iterdir()):
        if not args.force:
            ap.error(f"{args.out} is not empty (use --force to replace it)")
        shutil.rmtree(args.out)
    t0 = time.perf_counter()
    files, words = generate(args.out, args.pages, args.seed, args.format)
    dt = time.perf_counter() - t0
    print(
        f"gen-corpus: {args.format} corpus in {args.out}: {files} Markdown files "
        f"({args.pages} pages + {files - args.pages} folder indexes), "
        f"{words} words (~{words // max(files, 1)} per file), {dt:.2f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
