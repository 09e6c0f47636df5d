"""Fit the cue weights of rolecell/knowledge/cues.csv on train + dev + dev2 (development only).

    pip install -e .[dev]
    python benchmarks/fit_weights.py            # cross-validate, fit, rewrite the weight column
    python benchmarks/fit_weights.py --dry-run  # only print the cross-validation

Each cue keeps its side and dimension (a person's judgement); only its strength moves. The fit
is a logistic regression of "Project vs Operations" on the cues found in each training
statement, as written and with the role words masked, with an L2 penalty that pulls every
weight back to its prior (the weight a person gave it) and bounds that keep it on its side.
The penalty strength is chosen by 5-fold cross-validation on the three tuning
splits; the blind splits (heldout, fresh) are never read here. Cues the corpus never shows
keep their prior.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
from pathlib import Path

import numpy as np
from accuracy import load, mask
from scipy.optimize import minimize
from sklearn.model_selection import StratifiedKFold

classifier = importlib.import_module("rolecell.classify")
CUES = Path(classifier.__file__).parent / "knowledge" / "cues.csv"
PENALTIES = (0.1, 0.3, 1.0, 3.0, 10.0)
TEMPERATURE = 2.0
BOUNDS = (0.25, 4.0)


def cue_features(text: str) -> tuple[set[str], float]:
    """The vocabulary cues a text contains, and the signed weight of everything else (patterns)."""
    known = classifier._knowledge()
    keys = [known.normalise(word) for word in classifier.words(text)]
    found = {cue.label for _, _, cue in known.index.spans(keys) if cue.side is not None}
    other = sum(e.side.sign * e.weight for e in classifier._text_evidence(text, ())
                if e.source != "vocabulary")
    return found, other


def design(rows: list[dict], names: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows as written and masked -> (cue matrix, fixed offsets, labels +1 project / -1 ops)."""
    column = {name: i for i, name in enumerate(names)}
    matrix, offsets, labels = [], [], []
    for row in rows:
        for text in (row["text"], mask(row["text"])):
            found, other = cue_features(text)
            vector = np.zeros(len(names))
            for name in found:
                vector[column[name]] = 1.0
            matrix.append(vector)
            offsets.append(other)
            labels.append(1.0 if row["label"] == "Project" else -1.0)
    return np.array(matrix), np.array(offsets), np.array(labels)


def fit(matrix, offsets, labels, prior, penalty) -> np.ndarray:
    """Signed weights minimising logistic loss + penalty * ||w - prior||^2, each on its side."""
    sign = np.sign(prior)

    def loss(w):
        margin = labels * (matrix @ w + offsets) / TEMPERATURE
        value = np.logaddexp(0, -margin).sum() + penalty * ((w - prior) ** 2).sum()
        grad_margin = -labels / TEMPERATURE / (1 + np.exp(margin))
        return value, matrix.T @ grad_margin + 2 * penalty * (w - prior)

    bounds = [(BOUNDS[0], BOUNDS[1]) if s > 0 else (-BOUNDS[1], -BOUNDS[0]) for s in sign]
    return minimize(loss, prior, jac=True, method="L-BFGS-B", bounds=bounds).x


def accuracy(matrix, offsets, labels, w) -> float:
    return float(np.mean(np.sign(matrix @ w + offsets) == labels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="do not rewrite cues.csv")
    args = parser.parse_args()

    rows = [r for split in ("train", "dev", "dev2") for r in load(split)
            if r["label"] in ("Operations", "Project")]
    cue_rows = [r for r in classifier.knowledge.cue_rows() if r.side != "neutral"]
    labels_of = {r.cue.lstrip("="): r for r in cue_rows}
    names = sorted(labels_of)
    prior = np.array([labels_of[n].prior * (1 if labels_of[n].side == "project" else -1)
                      for n in names])

    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=11)
    gold = [r["label"] for r in rows]
    scores = {penalty: [] for penalty in (*PENALTIES, "prior")}
    for train_index, test_index in folds.split(rows, gold):
        train = design([rows[i] for i in train_index], names)
        test = design([rows[i] for i in test_index], names)
        scores["prior"].append(accuracy(*test, prior))
        for penalty in PENALTIES:
            scores[penalty].append(accuracy(*test, fit(*train, prior, penalty)))
    print("5-fold cross-validation on train + dev + dev2 (as written + masked):")
    for penalty, values in scores.items():
        print(f"  penalty {penalty!s:>6}: accuracy {np.mean(values):.3f}")
    best = max(scores, key=lambda p: (np.mean(scores[p]), p == "prior"))
    print(f"chosen: {best}")

    everything = design(rows, names)
    weights = prior if best == "prior" else fit(*everything, prior, best)
    used = everything[0].sum(axis=0) > 0
    fitted = {name: abs(w) if used[i] else labels_of[name].prior
              for i, (name, w) in enumerate(zip(names, weights, strict=True))}
    moved = sorted(((fitted[n] - labels_of[n].prior, n) for n in names if used[names.index(n)]),
                   key=lambda item: -abs(item[0]))
    print(f"cues seen in training: {int(used.sum())} of {len(names)}; largest moves:")
    for _delta, name in moved[:12]:
        print(f"  {name:<28} {labels_of[name].prior:>4.1f} -> {fitted[name]:.2f}")
    if args.dry_run:
        return
    rewrite(fitted)
    print(f"rewrote the weight column of {CUES}")


def rewrite(fitted: dict[str, float]) -> None:
    """Write the fitted weights into cues.csv, keeping every other column and comment."""
    text = CUES.read_text(encoding="utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for record in csv.reader(io.StringIO(text)):
        name = record[0].lstrip("=") if record else ""
        if record and not record[0].startswith("#") and name in fitted and record[2] != "neutral":
            record[4] = f"{fitted[name]:.2f}"
        writer.writerow(record)
    CUES.write_text(out.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
