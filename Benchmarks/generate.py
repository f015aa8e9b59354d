#!/usr/bin/env python3
"""Writes a workspace at the scale the contract names: a matrix of ITEMS obligations, RECORDS evidence
records spread over them (monthly and quarterly renewals over years), and ATTACHMENTS distinct stored files.

usage: generate.py WORKSPACE ITEMS RECORDS ATTACHMENTS   (the workspace must already hold the imported matrix)
"""
import hashlib, json, os, random, sys

workspace, items, records, attachments = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
checklist = "bench"
root = os.path.join(workspace, "Checklists", checklist)
random.seed(42)

store = []
for n in range(attachments):
    data = (f"evidence file {n}\n" * (1 + n % 64)).encode()
    digest = hashlib.sha256(data).hexdigest()
    folder = os.path.join(root, "attachments", "sha256", digest[:2])
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, digest), "wb") as f:
        f.write(data)
    store.append((digest, len(data)))

for n in range(records):
    item = f"B-{1 + n % items:02d}"
    year, month = 2020 + (n // (items * 12)) % 6, 1 + (n // items) % 12
    stamp = f"{year}-{month:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00.{n % 1000:03d}Z"
    record = {
        "schemaVersion": "1.0", "type": "evidence", "id": f"ev-bench-{n:07d}", "checklist": checklist, "item": item,
        "recordedAt": stamp, "by": f"admin{n % 17}@example.com", "effective": stamp[:10],
        "note": f"Renewal {n} of {item}", "links": [f"https://tickets.example.com/SEC-{n}"],
        "attachments": [{"name": f"report-{n}.pdf", "size": store[n % attachments][1], "mediaType": "application/pdf",
                         "sha256": store[n % attachments][0]}] if attachments else [],
    }
    folder = os.path.join(root, "records", item)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, record["id"] + ".json"), "w") as f:
        json.dump(record, f, indent=2, sort_keys=True)
        f.write("\n")
