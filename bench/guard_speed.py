"""How long the anonymisation guard takes on a 2,000-character note (a report, not a test).

python -m bench.guard_speed
"""

import time

from learning_hub.cases.guard import scan

NOTE = (
    "He missed the Monday appointment because the bus from the hostel was cancelled. "
    "We agreed texts rather than letters; letters feel like threats to him. "
) * 13 + "Call Mrs Okafor on 07700 900123, DOB 12/03/1987."


def main(runs=200):
    text = NOTE[-2000:]
    scan(text)  # warm the caches
    started = time.perf_counter()
    for _ in range(runs):
        scan(text)
    print(
        f"guard.scan on {len(text):,} characters: "
        f"{(time.perf_counter() - started) * 1000 / runs:.2f} ms per call"
    )


if __name__ == "__main__":
    main()
