#!/usr/bin/env python3
"""Generate a corpus with a large vocabulary, to check the search index's lexicon and shard
sizes where gen-corpus.py (about 200 distinct words) cannot:

    scripts/gen-vocab-corpus.py OUT [--pages N] [--vocab V] [--seed S]

N pages (default 5000) in 20 folders, each a title and six sections of 100 words drawn from
V random pseudo-words (default 150,000) with a Zipf distribution, as in real text. Standard
library only; the output depends only on the arguments.
"""

import argparse
import bisect
import itertools
import random
import shutil
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--vocab", type=int, default=150_000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab: set[str] = set()
    while len(vocab) < a.vocab:
        vocab.add("".join(rng.choice(letters) for _ in range(rng.randint(3, 11))))
    words = sorted(vocab)
    rng.shuffle(words)
    cum = list(itertools.accumulate(1.0 / (i + 1) ** 1.05 for i in range(len(words))))

    def word() -> str:
        return words[bisect.bisect(cum, rng.random() * cum[-1])]

    if a.out.exists():
        shutil.rmtree(a.out)
    (a.out / "content").mkdir(parents=True)
    (a.out / "book.toml").write_text('[book]\ntitle = "Large vocabulary"\nsrc = "content"\n')
    folders = 20
    for i in range(a.pages):
        d = a.out / "content" / f"d{i % folders:02}"
        if not d.exists():
            d.mkdir()
            (d / "README.md").write_text(f"# Folder {i % folders}\n\nWords {word()} {word()}.\n")
        sections = [f"## {word().capitalize()} {word()}\n\n" + " ".join(word() for _ in range(100)) + "." for _ in range(6)]
        (d / f"p{i:05}.md").write_text(f"# {word().capitalize()} {word()} {word()}\n\n" + "\n\n".join(sections) + "\n")
    print(f"gen-vocab-corpus: {a.pages} pages in {a.out}; most frequent words: {' '.join(words[:3])}; "
          f"rank 1000: {words[1000]}; rank 50000: {words[50000]}")


if __name__ == "__main__":
    main()
