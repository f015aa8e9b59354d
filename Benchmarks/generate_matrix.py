#!/usr/bin/env python3
"""Writes a pipe-table matrix for the import benchmark.

usage: generate_matrix.py OUT ROWS COLUMNS
  COLUMNS party columns after the Task column: the first is the provider, the last the customer,
  the others extra parties; letters vary so that every kind of item occurs.
"""
import sys

out, rows, columns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
letters = ["RA", "R", "A", "C", "I", "CI", ""]
with open(out, "w") as f:
    f.write("# Benchmark matrix\n\n## Operations\n\n")
    names = ["Provider"] + [f"Party {n}" for n in range(1, columns - 1)] + (["Customer"] if columns > 1 else [])
    f.write("| Task | " + " | ".join(names) + " |\n")
    f.write("| --- |" + " --- |" * len(names) + "\n")
    for r in range(rows):
        cells = [letters[(r + c) % len(letters)] for c in range(len(names))]
        f.write(f"| Operating task number {r + 1} of the service | " + " | ".join(cells) + " |\n")
