"""What `sohoa status` shows: each backend in use, its version, health and counts."""
from sohoa.archive.checkpoint_key import CheckpointKey
from sohoa.core.errors import SohoaError
from sohoa.core.settings import Settings
from sohoa.ocr.engine import open_engine
from sohoa.pipeline.backends import open_index, open_store


def backend_status(settings: Settings) -> dict[str, dict]:
    """{"objects"|"index"|"checkpoints"|"ocr": {"backend", "location", "version", "health", "up", counts}}; a part that
    cannot be reached is reported down, never raised."""
    parts = {}
    try:
        store = open_store(settings)
        parts["objects"] = {**store.status(), "up": True}
    except SohoaError as exc:
        store = None
        parts["objects"] = down(settings.s3_endpoint, exc)
    try:
        if store is None:  # opening an index may rebuild it from storage
            raise SohoaError("not checked while object storage is down")
        index = open_index(settings, store)
        try:
            parts["index"] = {**index.status(), "up": True}
        finally:
            index.close()
    except SohoaError as exc:
        parts["index"] = down(settings.es_url, exc)
    try:
        key = CheckpointKey.load_or_create(settings.checkpoint_key)
        parts["checkpoints"] = {"backend": "signed audit checkpoints", "location": str(settings.checkpoints_dir),
                                "version": "Ed25519", "health": "ok", "up": True, "key": str(settings.checkpoint_key),
                                "public_key": key.public_text, "key_id": key.key_id}
    except SohoaError as exc:
        parts["checkpoints"] = {**down(str(settings.checkpoint_key), exc), "backend": "signed audit checkpoints"}
    try:
        version = open_engine(settings.ocr_engine, settings.language).version()
        parts["ocr"] = {"backend": settings.ocr_engine, "location": settings.language, "up": True, "health": "ok",
                        "version": version}
    except SohoaError as exc:
        parts["ocr"] = {**down(settings.language, exc), "backend": settings.ocr_engine}
    return parts


def down(where: str | None, exc: Exception) -> dict:
    return {"backend": "?", "location": where or "-", "version": "?", "up": False,
            "health": f"down: {str(exc)[:160]}"}
