#!/usr/bin/env python3
"""Signs every record of a benchmark workspace as ssh-keygen -Y sign would (SSHSIG, namespace "attest",
SHA-512, one Ed25519 key) and writes an allowed_signers that lists the key for every author. Signing 10^5
records through ssh-keygen would take minutes; the format is the same (the tests check attest's verdict
against ssh-keygen's on real ssh-keygen signatures).

usage: sign.py WORKSPACE CHECKLIST
"""
import base64, hashlib, os, struct, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

workspace, checklist = sys.argv[1], sys.argv[2]
key = Ed25519PrivateKey.generate()
public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


public_blob = string(b"ssh-ed25519") + string(public)
with open(os.path.join(workspace, "allowed_signers"), "w") as f:
    f.write('*@example.com namespaces="attest,attest-report" ssh-ed25519 %s\n' % base64.b64encode(public_blob).decode())

namespace = b"attest"
for folder, _, files in os.walk(os.path.join(workspace, "Checklists", checklist, "records")):
    for name in files:
        if not name.endswith(".json"):
            continue
        path = os.path.join(folder, name)
        with open(path, "rb") as f:
            message = f.read()
        signed = b"SSHSIG" + string(namespace) + string(b"") + string(b"sha512") + string(hashlib.sha512(message).digest())
        signature = string(b"ssh-ed25519") + string(key.sign(signed))
        blob = b"SSHSIG" + struct.pack(">I", 1) + string(public_blob) + string(namespace) + string(b"") + string(b"sha512") + string(signature)
        text = base64.b64encode(blob).decode()
        lines = [text[i:i + 70] for i in range(0, len(text), 70)]
        with open(path + ".sig", "w") as f:
            f.write("-----BEGIN SSH SIGNATURE-----\n" + "\n".join(lines) + "\n-----END SSH SIGNATURE-----\n")
