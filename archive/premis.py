"""PREMIS 3 preservation metadata: the events of the audit trail and the files they concern."""
import uuid
from dataclasses import asdict, dataclass, field

from lxml import etree

from sohoa.archive.xml import XSI, Builder, serialise

PREMIS = "http://www.loc.gov/premis/v3"
EVENT_TYPES = "http://id.loc.gov/vocabulary/preservation/eventType"
SOHOA_EVENTS = uuid.UUID("6f1c8f53-7d0e-4e57-9b8e-2a9d4c1e5a10")  # namespace of deterministic event ids

# PREMIS event types (Library of Congress vocabulary; "access" is ours: an export or download)
INGESTION = "ingestion"
INGESTION_END = "ingestion end"
DIGEST = "message digest calculation"
VALIDATION = "validation"
PACKAGE_CREATION = "information package creation"
REPLICATION = "replication"
FIXITY_CHECK = "fixity check"
RECOVERY = "recovery"
QUARANTINE = "quarantine"
ACCESS = "access"
APPRAISAL = "appraisal"  # here: a disposal requested
DEACCESSION = "deaccession"  # here: a disposal approved
DELETION = "deletion"
POLICY_ASSIGNMENT = "policy assignment"  # here: a request to read or copy a record decided
TRANSFER = "transfer"  # scans submitted to object storage for the workers
METADATA_MODIFICATION = "metadata modification"  # a correction, committing a new version of the dossier
SIGNATURE_GENERATION = "digital signature generation"  # the agency signed a PDF/A

SUCCESS, FAILURE, NOT_PERFORMED = "success", "failure", "not performed"


@dataclass(frozen=True)
class Event:
    identifier: str
    type: str
    time: str  # ISO 8601 with offset
    agent: str  # the software that acted, "name version"
    outcome: str
    detail: str
    file_code: str | None = None
    objects: tuple[tuple[str, str], ...] = ()  # (object key, SHA-256) the event concerns
    actor: str | None = None  # the account that ran the software

    def to_json(self) -> dict:
        return {**asdict(self), "objects": [list(o) for o in self.objects]}

    @classmethod
    def from_json(cls, data: dict) -> "Event":
        return cls(**{**data, "objects": tuple(tuple(o) for o in data.get("objects", ()))})


def event_id(*parts: str) -> str:
    """The same action on the same input always gets the same id, so a repeated run logs it once. The
    parts name the dossier as well as its scans: identical scans in two dossiers are two histories."""
    return str(uuid.uuid5(SOHOA_EVENTS, "\x1f".join(parts)))


def random_event_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class FileObject:
    """A file the PREMIS document describes, by its path inside the package."""
    path: str
    sha256: str
    size: int
    format_name: str
    pronom: str | None = None
    original_name: str | None = None


@dataclass
class PremisDocument:
    objects: list[FileObject] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    earlier: bytes | None = None  # a later version's: the PREMIS of the version before, whose history it carries

    def to_xml(self, key_to_path) -> bytes:
        """key_to_path maps an event's object key to the file's path in the package (None: not in it)."""
        b = Builder(PREMIS, {None: PREMIS, "xsi": XSI})
        earlier_events, earlier_agents = self._earlier()
        known = {a.findtext(f"{{{PREMIS}}}agentName") for a in earlier_agents}
        agents = sorted(({e.agent for e in self.events} | {e.actor for e in self.events if e.actor}) - known)
        root = b("premis", {"version": "3.0"},
                 [self._object(b, o) for o in self.objects],
                 earlier_events, [self._event(b, e, key_to_path) for e in self.events],
                 earlier_agents, [self._agent(b, a, software=a in {e.agent for e in self.events}) for a in agents])
        return serialise(root)

    def _earlier(self) -> tuple[list, list]:
        if not self.earlier:
            return [], []
        root = etree.fromstring(self.earlier, etree.XMLParser(remove_blank_text=True))
        return root.findall(f"{{{PREMIS}}}event"), root.findall(f"{{{PREMIS}}}agent")

    @staticmethod
    def _object(b: Builder, obj: FileObject):
        registry = b("formatRegistry", {}, b("formatRegistryName", {}, "PRONOM"),
                     b("formatRegistryKey", {}, obj.pronom)) if obj.pronom else None
        return b("object", {"xsi:type": "file"},
                 _identifier(b, "object", "local", obj.path),
                 b("objectCharacteristics", {},
                   b("compositionLevel", {}, "0"),
                   b("fixity", {}, b("messageDigestAlgorithm", {}, "SHA-256"), b("messageDigest", {}, obj.sha256),
                     b("messageDigestOriginator", {}, "sohoa")),
                   b("size", {}, str(obj.size)),
                   b("format", {}, b("formatDesignation", {}, b("formatName", {}, obj.format_name)), registry)),
                 b("originalName", {}, obj.original_name) if obj.original_name else None)

    @staticmethod
    def _event(b: Builder, event: Event, key_to_path):
        linked = [path for path in (key_to_path(key) for key, _ in event.objects) if path]
        return b("event", {},
                 _identifier(b, "event", "UUID", event.identifier),
                 b("eventType", {"authority": "eventType", "authorityURI": EVENT_TYPES}, event.type),
                 b("eventDateTime", {}, event.time),
                 b("eventDetailInformation", {}, b("eventDetail", {}, event.detail)),
                 b("eventOutcomeInformation", {}, b("eventOutcome", {}, event.outcome)),
                 _linking_agent(b, event.agent, "executing program"),
                 _linking_agent(b, event.actor, "implementer") if event.actor else None,
                 [b("linkingObjectIdentifier", {}, b("linkingObjectIdentifierType", {}, "local"),
                    b("linkingObjectIdentifierValue", {}, path)) for path in linked])

    @staticmethod
    def _agent(b: Builder, name: str, software: bool):
        return b("agent", {}, _identifier(b, "agent", "local", name), b("agentName", {}, name),
                 b("agentType", {}, "software" if software else "person"))


def _identifier(b: Builder, what: str, kind: str, value: str):
    return b(f"{what}Identifier", {}, b(f"{what}IdentifierType", {}, kind), b(f"{what}IdentifierValue", {}, value))


def _linking_agent(b: Builder, name: str, role: str):
    return b("linkingAgentIdentifier", {}, b("linkingAgentIdentifierType", {}, "local"),
             b("linkingAgentIdentifierValue", {}, name), b("linkingAgentRole", {}, role))
