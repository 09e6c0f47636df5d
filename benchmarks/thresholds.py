"""Choose the Shared thresholds of dimensions.toml by a grid search on the tuning splits.

    python benchmarks/thresholds.py

Shared needs `shared_min_side` evidence on each side and the weaker side at least
`shared_balance` of the stronger. Every pair on a grid is scored by accuracy on all items
(Shared included) of train + dev + dev2, as written and masked; the blind splits (heldout,
fresh) are never read. It prints the best pairs and the current one; edit dimensions.toml by
hand to adopt one.
"""

from __future__ import annotations

import importlib
from itertools import product

from accuracy import load, mask

classifier = importlib.import_module("rolecell.classify")
SPLITS = ("train", "dev", "dev2")
MIN_SIDE = (3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0)
BALANCE = (0.3, 0.4, 0.5, 0.6, 0.7)


def main() -> None:
    rows = [row for split in SPLITS for row in load(split)]
    texts = [t for row in rows for t in (row["text"], mask(row["text"]))]
    gold = [row["label"] for row in rows for _ in range(2)]
    known = classifier._knowledge()
    decision = known.decision
    current = (decision["shared_min_side"], decision["shared_balance"])

    def accuracy(min_side: float, balance: float) -> float:
        decision["shared_min_side"], decision["shared_balance"] = min_side, balance
        known.judged.clear()  # verdicts were judged under the previous thresholds
        predicted = [str(c.role) for c in classifier.classify_many(texts)]
        return sum(p == g for p, g in zip(predicted, gold, strict=True)) / len(gold)

    scores = {pair: accuracy(*pair) for pair in product(MIN_SIDE, BALANCE)}
    scores.setdefault(current, accuracy(*current))
    print(f"accuracy on all items of {' + '.join(SPLITS)} (as written + masked, "
          f"{len(gold)} statements):")
    for (min_side, balance), score in sorted(scores.items(), key=lambda i: -i[1])[:8]:
        print(f"  shared_min_side {min_side:>4}  shared_balance {balance:>4}:  {score:.3f}")
    print(f"current: shared_min_side {current[0]}  shared_balance {current[1]}:  "
          f"{scores[current]:.3f}")


if __name__ == "__main__":
    main()
