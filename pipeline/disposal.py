"""`sohoa dispose`: destroying a dossier whose retention has ended (tiêu hủy tài liệu hết giá trị), on
the authority of a disposal decision, logged as a PREMIS deletion event. The audit log keeps the
dossier's whole history, its checksums included: only the objects go."""
import datetime as dt
import json

from archive.fixity import committed_objects
from archive.premis import DELETION, SUCCESS, Event, random_event_id
from archive.store import sha256_hex
from archive.xml import vietnam_time
from pipeline.backends import Backends
from pipeline.packaging import operator, software
from pipeline.process import manifest_key


class DisposalRefused(RuntimeError):
    pass


def dispose_dossier(backends: Backends, file_code: str, authority: str, now: dt.datetime | None = None) -> Event:
    """Delete every object of the dossier, its manifest last (a disposal cut short leaves it committed, and
    running it again finishes it), then its records from the index."""
    now = now or dt.datetime.now().astimezone()
    key = manifest_key(file_code)
    if backends.store.head(key) is None:
        raise DisposalRefused(f"dossier {file_code} is not archived")
    manifest_bytes = backends.store.get(key)
    manifest = json.loads(manifest_bytes)
    until = dt.datetime.fromisoformat(manifest["retain_until"]) if manifest.get("retain_until") else None
    if until is None or until > now:
        raise DisposalRefused(f"dossier {file_code} is under retention {manifest.get('retention', '?')} until "
                              f"{until.date() if until else 'an unknown date'}: not disposed")
    objects = committed_objects(manifest) + [(key, sha256_hex(manifest_bytes))]
    for object_key, _ in objects:  # the manifest comes last
        backends.store.delete(object_key)
    event = Event(random_event_id(), DELETION, vietnam_time(now), software(), SUCCESS,
                  f"dossier disposed of, retention {manifest.get('retention')} ended {until.date()}; authority: "
                  f"{authority}", file_code, tuple(objects), operator())
    backends.index.delete_dossier(file_code)
    backends.record([event])
    return event
