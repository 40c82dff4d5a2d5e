"""Verifies a DKIM signature with dkimpy (Debian's python3-dkim), the independent verifier of
DkimSignerTest. Usage: dkim_verify.py MESSAGE_FILE RECORD_NAME RECORD_FILE
The public key record is served by a dnsfunc for RECORD_NAME only; any other name has no record.
Prints PASS or FAIL with dkimpy's log, and exits 0 on PASS, 1 on FAIL."""
import logging
import sys

import dkim

message_file, record_name, record_file = sys.argv[1:4]
with open(message_file, "rb") as f:
    message = f.read()
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


log = logging.getLogger("dkim-test")
log.setLevel(logging.DEBUG)
collect = Collect()
log.addHandler(collect)
ok = dkim.verify(message, logger=log, dnsfunc=dnsfunc)
print("PASS" if ok else "FAIL")
for line in collect.lines:
    print(line)
sys.exit(0 if ok else 1)
