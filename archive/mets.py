"""METS documents of an E-ARK CSIP 2 package: the root METS.xml and one per representation.

Every file reference carries SHA-256, size, MIME type and creation time (ISO 8601, +07:00), as
Circular 05 asks; `referenced_files` reads them back so that `sohoa verify` can hold a package's
METS against the files it holds.
"""
import hashlib
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote, unquote

from lxml import etree

from sohoa.archive.xml import XLINK, XSI, Builder, serialise

METS = "http://www.loc.gov/METS/"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
PROFILES = {"AIP": "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml",
            "SIP": "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"}
CONTENT_TYPE = {"csip:CONTENTINFORMATIONTYPE": "OTHER", "csip:OTHERCONTENTINFORMATIONTYPE": "TT05/2025/TT-BNV"}
SCHEMA_LOCATIONS = {METS: "mets.xsd", XLINK: "xlink.xsd", CSIP: "DILCISExtensionMETS.xsd"}


@dataclass(frozen=True)
class PackageFile:
    path: str  # inside the package, "/"-separated
    data: bytes
    mime: str

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class Header:
    object_id: str
    label: str
    package_type: str  # "AIP" or "SIP"
    created: str
    software_version: str
    submitter: str | None = None  # the agency handing a SIP over
    modified: str | None = None  # a later version of an AIP: when it was made (OBJID and CREATEDATE stay)


def _b() -> Builder:
    return Builder(METS, {"mets": METS, "csip": CSIP, "xlink": XLINK, "xsi": XSI})


def _relative(path: str, base: str) -> str:
    return quote(path[len(base):] if base and path.startswith(base) else path)


def _file_attrs(f: PackageFile, created: str) -> dict:
    return {"MIMETYPE": f.mime, "SIZE": f.size, "CREATED": created, "CHECKSUM": f.sha256, "CHECKSUMTYPE": "SHA-256"}


def _md_ref(b: Builder, f: PackageFile, base: str, md_type: str, created: str):
    return b("mets:mdRef", {"LOCTYPE": "URL", "xlink:type": "simple", "xlink:href": _relative(f.path, base),
                            "MDTYPE": md_type, **_file_attrs(f, created)})


def _file(b: Builder, file_id: str, f: PackageFile, base: str, created: str):
    return b("mets:file", {"ID": file_id, **_file_attrs(f, created)},
             b("mets:FLocat", {"LOCTYPE": "URL", "xlink:type": "simple", "xlink:href": _relative(f.path, base)}))


def _mets(b: Builder, header: Header, schemas_href: str, *sections):
    agents = [b("mets:agent", {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"},
                b("mets:name", {}, "sohoa"),
                b("mets:note", {"csip:NOTETYPE": "SOFTWARE VERSION"}, header.software_version))]
    if header.submitter:
        agents.append(b("mets:agent", {"ROLE": "ARCHIVIST", "TYPE": "ORGANIZATION"},
                        b("mets:name", {}, header.submitter)))
    locations = " ".join(f"{ns} {schemas_href}{name}" for ns, name in SCHEMA_LOCATIONS.items())
    return b("mets:mets", {"OBJID": header.object_id, "LABEL": header.label, "TYPE": "Textual works – Digital",
                           **CONTENT_TYPE, "PROFILE": PROFILES[header.package_type], "xsi:schemaLocation": locations},
             b("mets:metsHdr", {"CREATEDATE": header.created, "LASTMODDATE": header.modified or header.created,
                                "RECORDSTATUS": "REVISED" if header.modified else "NEW",
                                "csip:OAISPACKAGETYPE": header.package_type}, agents),
             *sections)


def root_mets(header: Header, ead: PackageFile, premis: PackageFile, documentation: list[PackageFile],
              schemas: list[PackageFile], representations: list[tuple[str, PackageFile]]) -> bytes:
    """representations: (folder name, its METS file), e.g. ("rep1", <representations/rep1/METS.xml>)."""
    b, created = _b(), header.created
    groups = [("Documentation", documentation), ("Schemas", schemas)]
    file_groups = [b("mets:fileGrp", {"ID": f"grp-{use.lower()}", "USE": use, **CONTENT_TYPE},
                     [_file(b, f"file-{use.lower()}-{n}", f, "", created) for n, f in enumerate(files, 1)])
                   for use, files in groups]
    file_groups += [b("mets:fileGrp", {"ID": f"grp-{name}", "USE": f"Representations/{name}", **CONTENT_TYPE},
                      _file(b, f"file-{name}-mets", mets, "", created)) for name, mets in representations]
    divisions = [b("mets:div", {"ID": "div-metadata", "LABEL": "Metadata", "DMDID": "dmd-ead", "ADMID": "amd-premis"})]
    divisions += [b("mets:div", {"ID": f"div-{use.lower()}", "LABEL": use},
                    [b("mets:fptr", {"FILEID": f"file-{use.lower()}-{n}"}) for n in range(1, len(files) + 1)])
                  for use, files in groups]
    divisions.append(b("mets:div", {"ID": "div-representations", "LABEL": "Representations"},
                       [b("mets:fptr", {"FILEID": f"file-{name}-mets"}) for name, _ in representations],
                       [b("mets:div", {"ID": f"div-{name}", "LABEL": f"Representations/{name}"},
                          b("mets:mptr", {"LOCTYPE": "URL", "xlink:type": "simple", "xlink:href": quote(mets.path),
                                          "xlink:title": f"grp-{name}"}))
                        for name, mets in representations]))
    root = _mets(b, header, "schemas/",
                 b("mets:dmdSec", {"ID": "dmd-ead", "CREATED": created, "STATUS": "CURRENT"},
                   _md_ref(b, ead, "", "EAD", created)),
                 b("mets:amdSec", {"ID": "amd"},
                   b("mets:digiprovMD", {"ID": "amd-premis", "CREATED": created, "STATUS": "CURRENT"},
                     _md_ref(b, premis, "", "PREMIS", created))),
                 b("mets:fileSec", {"ID": "filesec"}, file_groups),
                 b("mets:structMap", {"ID": "structmap", "TYPE": "PHYSICAL", "LABEL": "CSIP"},
                   b("mets:div", {"ID": "div-package", "LABEL": header.object_id}, divisions)))
    return serialise(root)


def representation_mets(header: Header, base: str, descriptions: list[PackageFile], data: list[PackageFile]) -> bytes:
    """base: the representation's folder in the package, e.g. "representations/rep1/"."""
    b, created = _b(), header.created
    dmd_ids = [f"dmd-{n}" for n in range(1, len(descriptions) + 1)]
    root = _mets(b, header, "../../schemas/",
                 [b("mets:dmdSec", {"ID": dmd_id, "CREATED": created, "STATUS": "CURRENT"},
                    _md_ref(b, f, base, "EAD", created)) for dmd_id, f in zip(dmd_ids, descriptions)],
                 b("mets:fileSec", {"ID": "filesec"},
                   b("mets:fileGrp", {"ID": "grp-data", "USE": "Data", **CONTENT_TYPE},
                     [_file(b, f"file-data-{n}", f, base, created) for n, f in enumerate(data, 1)])),
                 b("mets:structMap", {"ID": "structmap", "TYPE": "PHYSICAL", "LABEL": "CSIP"},
                   b("mets:div", {"ID": "div-representation", "LABEL": header.object_id},
                     b("mets:div", {"ID": "div-metadata", "LABEL": "Metadata", "DMDID": " ".join(dmd_ids)})
                     if dmd_ids else None,
                     b("mets:div", {"ID": "div-data", "LABEL": "Data"},
                       [b("mets:fptr", {"FILEID": f"file-data-{n}"}) for n in range(1, len(data) + 1)]))))
    return serialise(root)


@dataclass(frozen=True)
class Reference:
    path: str  # inside the package
    sha256: str
    size: int


def referenced_files(mets_xml: bytes, base: str) -> tuple[list[Reference], list[str]]:
    """(files and metadata a METS document references with their checksums, representation METS paths it
    points to). base: the folder of this METS inside the package ("" for the root)."""
    root = etree.fromstring(mets_xml)
    ns = {"mets": METS, "xlink": XLINK}
    href = f"{{{XLINK}}}href"
    references = []
    for ref in root.iterfind(".//mets:mdRef", ns):
        references.append(Reference(base + unquote(ref.get(href)), ref.get("CHECKSUM"), int(ref.get("SIZE"))))
    for file in root.iterfind(".//mets:file", ns):
        location = file.find("mets:FLocat", ns)
        references.append(Reference(base + unquote(location.get(href)), file.get("CHECKSUM"), int(file.get("SIZE"))))
    pointers = [base + unquote(p.get(href)) for p in root.iterfind(".//mets:mptr", ns)]
    return references, pointers
