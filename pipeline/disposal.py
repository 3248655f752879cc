"""`sohoa dispose`: destroying a dossier whose retention has ended (tiêu hủy tài liệu hết giá trị), on
the authority of a disposal decision, logged as a PREMIS deletion event. The audit log keeps the
dossier's whole history, its checksums included: only the objects go."""
import datetime as dt

from sohoa.archive.catalogue import load_manifest
from sohoa.archive.premis import DELETION, SUCCESS, Event, random_event_id
from sohoa.archive.store import sha256_hex
from sohoa.archive.xml import vietnam_time
from sohoa.core.errors import DisposalRefused
from sohoa.core.keys import manifest_key
from sohoa.pipeline.agents import software
from sohoa.pipeline.backends import Backends


def dispose_dossier(backends: Backends, file_code: str, authority: str, actor: str,
                    now: dt.datetime | None = None) -> Event:
    """Delete every object of the dossier, its manifest last (a disposal cut short leaves it committed, and
    running it again finishes it), then its records from the index."""
    now = now or dt.datetime.now().astimezone()
    manifest = load_manifest(backends.store, file_code)
    if manifest is None:
        raise DisposalRefused(f"dossier {file_code} is not archived")
    until = manifest.retain_until_time
    if until is None or until > now:
        raise DisposalRefused(f"dossier {file_code} is under retention {manifest.retention or '?'} until "
                              f"{until.date() if until else 'an unknown date'}: not disposed")
    key = manifest_key(file_code)
    objects = manifest.committed_objects() + [(key, sha256_hex(backends.store.get(key)))]
    for object_key, _ in objects:  # the manifest comes last
        backends.store.delete(object_key)
    event = Event(random_event_id(), DELETION, vietnam_time(now), software(), SUCCESS,
                  f"dossier disposed of, retention {manifest.retention} ended {until.date()}; authority: "
                  f"{authority}", file_code, tuple(objects), actor)
    backends.index.delete_dossier(file_code)
    backends.record([event])
    return event
