"""Benchmark of duplicate detection (docs/duplicates.md): blocking and scoring in memory, no database.

Synthetic people (names from a small common pool and a large random one, birth dates over 35 years, 5 %
on 1 January 1990, e-mail and phone for most), plus re-registrations of some of them with given and
family names swapped. Prints the pairs compared against all pairs, the re-registrations found, the time
(median of ``--repeat`` runs) and one JSON line. Reading the columns from PostgreSQL is not included
(six columns of 100,000 rows: well under a second).
Run: ``.venv/bin/python bench/detect_duplicates.py --people 100000 --twins 500``.
"""

import argparse
import datetime
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from duplicates.detection import Person, find_duplicates

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def people(count: int, twins: int, seed: int = 1) -> list[Person]:
    rng = random.Random(seed)
    given = ["mohamed", "fatima", "amina", "youssef", "rachid", "khadija", "omar", "sara", "ali", "nadia"]
    given += ["".join(rng.choices(LETTERS, k=6)) for _ in range(3000)]
    family = ["el idrissi", "benali", "haddad", "tazi", "alaoui", "berrada"]
    family += ["".join(rng.choices(LETTERS, k=8)) for _ in range(20000)]
    found = []
    for pk in range(1, count + 1):
        born = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(35 * 365))
        if rng.random() < 0.05:
            born = datetime.date(1990, 1, 1)
        found.append(
            Person(
                pk,
                rng.choice(given),
                rng.choice(family),
                born,
                (rng.choice(["MA", "TN", "IN", "PH"]),),
                f"p{pk}@example.org" if rng.random() < 0.7 else "",
                f"+212 6{pk:08d}" if rng.random() < 0.8 else "",
            )
        )
    for index in range(twins):
        original = found[index]
        found.append(
            Person(
                10 * count + index,
                original.family_name,
                original.given_name,
                original.date_of_birth,
                original.nationalities,
                "",
                original.phone,
            )
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--twins", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times = []
    result = None
    for _ in range(args.repeat):
        pool = people(args.people, args.twins)  # fresh objects: their normalised names are not cached yet
        start = time.perf_counter()
        result = find_duplicates(pool)
        times.append(time.perf_counter() - start)
    assert result is not None
    total = args.people + args.twins
    all_pairs = total * (total - 1) // 2
    expected = {(index + 1, 10 * args.people + index) for index in range(args.twins)}
    found = len(expected & set(result.pairs))
    print(f"people: {total}; all pairs: {all_pairs:,}; compared: {result.compared:,}")
    print(f"re-registrations found: {found} of {args.twins}; pairs proposed: {len(result.pairs)}")
    median = statistics.median(times)
    print(
        f"oversized blocks skipped: {result.skipped_blocks}; time (median of {args.repeat}): {median:.2f} s"
    )
    print(
        json.dumps(
            {
                "people": total,
                "compared": result.compared,
                "all_pairs": all_pairs,
                "found": found,
                "proposed": len(result.pairs),
                "skipped_blocks": result.skipped_blocks,
                "seconds": round(median, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
