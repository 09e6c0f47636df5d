"""Classification quality on our labelled corpus: accuracy, precision, recall, confusion matrix.

    python benchmarks/accuracy.py              # held-out split, as written and masked
    python benchmarks/accuracy.py --split train --errors

Five fixed splits, written for rolecell by different authors. Tuning: train.csv, dev.csv and
dev2.csv (weights are fitted on all three; their errors guide new vocabulary). Never used for
tuning: heldout.csv and fresh.csv (a later author's blind set, written without seeing the
classifier or the other splits).
"Masked" removes the role words (project(s), operation(s), operational) so that only the
content can decide.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from pathlib import Path

import rolecell

CORPUS = Path(__file__).parent / "corpus"
ROLES = ["Operations", "Project", "Shared", "Unclear"]
SPLITS = ["heldout", "fresh", "train", "dev", "dev2"]
_ROLE_WORDS = re.compile(r"\b(?:projects?|operations?|operational)\b", re.IGNORECASE)


def mask(text: str) -> str:
    """The statement without the role words, so that only its content is left to judge."""
    return " ".join(_ROLE_WORDS.sub(" ", text).split())


def load(split: str) -> list[dict[str, str]]:
    with (CORPUS / f"{split}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def evaluate(rows: list[dict[str, str]], masked: bool) -> dict:
    texts = [mask(r["text"]) if masked else r["text"] for r in rows]
    predicted = [str(c.role) for c in rolecell.classify_many(texts)]
    gold = [r["label"] for r in rows]
    confusion = Counter(zip(gold, predicted, strict=True))
    binary = [(g, p) for g, p in zip(gold, predicted, strict=True) if g != "Shared"]
    return {
        "n": len(rows),
        "accuracy_ops_project": sum(g == p for g, p in binary) / max(len(binary), 1),
        "accuracy_all": sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(rows),
        "confusion": confusion,
        "errors": [(r, p) for r, p in zip(rows, predicted, strict=True) if r["label"] != p],
        "texts": texts,
    }


def report(name: str, result: dict) -> None:
    confusion = result["confusion"]
    print(f"\n== {name}: {result['n']} statements")
    print(f"accuracy on Operations/Project items: {result['accuracy_ops_project']:.3f}")
    print(f"accuracy on all items (Shared included): {result['accuracy_all']:.3f}")
    print(f"{'class':<12}{'precision':>10}{'recall':>10}{'support':>9}")
    for role in ROLES[:3]:
        tp = confusion[role, role]
        predicted = sum(v for (g, p), v in confusion.items() if p == role)
        support = sum(v for (g, p), v in confusion.items() if g == role)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        print(f"{role:<12}{precision:>10.3f}{recall:>10.3f}{support:>9}")
    print("confusion (rows: label, columns: predicted)")
    print(" " * 12 + "".join(f"{r:>12}" for r in ROLES))
    for gold in ROLES[:3]:
        print(f"{gold:<12}" + "".join(f"{confusion[gold, p]:>12}" for p in ROLES))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="heldout", choices=SPLITS)
    parser.add_argument("--errors", action="store_true", help="list the misclassified items")
    args = parser.parse_args()
    rows = load(args.split)
    for masked in (False, True):
        result = evaluate(rows, masked)
        report(f"{args.split}, {'masked' if masked else 'as written'}", result)
        if args.errors:
            for row, predicted in result["errors"]:
                text = mask(row["text"]) if masked else row["text"]
                print(f"  {row['id']} {row['label']:<10} -> {predicted:<10} {text[:110]}")


if __name__ == "__main__":
    main()
