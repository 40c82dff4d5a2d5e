"""Verifies a DKIM signature with dkimpy (Debian's python3-dkim), the independent verifier of
DkimSignerTest. Usage: dkim_verify.py MESSAGE_FILE|FOLDER RECORD_NAME RECORD_FILE
The public key record is served by a dnsfunc for RECORD_NAME only; any other name has no record.
Prints PASS or FAIL with dkimpy's log, and exits 0 on PASS, 1 on FAIL."""
import logging
import sys

import dkim

import os

message_file, record_name, record_file = sys.argv[1:4]
with open(record_file, "rb") as f:
    record = f.read().strip()


def dnsfunc(name, timeout=5):
    asked = name.decode("ascii") if isinstance(name, bytes) else name
    if asked.rstrip(".").lower() == record_name.rstrip(".").lower():
        return record
    return None


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


def verify(path):
    with open(path, "rb") as f:
        message = f.read()
    log = logging.getLogger("dkim-test-" + os.path.basename(path))
    log.setLevel(logging.DEBUG)
    collect = Collect()
    log.addHandler(collect)
    return dkim.verify(message, logger=log, dnsfunc=dnsfunc), collect.lines


if os.path.isdir(message_file):
    # a folder of messages (one interpreter start for many): a line per message, exit 0 if all pass
    all_ok = True
    for name in sorted(os.listdir(message_file)):
        ok, lines = verify(os.path.join(message_file, name))
        all_ok = all_ok and ok
        print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + " | ".join(lines)))
    sys.exit(0 if all_ok else 1)

ok, lines = verify(message_file)
print("PASS" if ok else "FAIL")
for line in lines:
    print(line)
sys.exit(0 if ok else 1)
