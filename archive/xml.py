"""Small helpers to write namespaced XML with lxml, deterministically (same input, same bytes)."""
import datetime as dt

from lxml import etree

VIETNAM = dt.timezone(dt.timedelta(hours=7))  # TT05 times are written in Vietnam's offset, +07:00
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XLINK = "http://www.w3.org/1999/xlink"


def vietnam_time(moment: dt.datetime) -> str:
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


class Builder:
    """Element factory for one default namespace: b("tag", {"attr": v}, child, "text")."""

    def __init__(self, namespace: str, nsmap: dict[str | None, str]):
        self.namespace, self.nsmap = namespace, nsmap

    def qname(self, name: str) -> str:
        prefix, _, local = name.rpartition(":")
        return f"{{{self.nsmap[prefix] if prefix else self.namespace}}}{local}"

    def __call__(self, tag: str, attrs: dict | None = None, *children) -> etree._Element:
        element = etree.Element(self.qname(tag), nsmap=self.nsmap)
        for key, value in (attrs or {}).items():
            if value is not None:
                element.set(self.qname(key) if ":" in key else key, str(value))
        for child in children:
            if child is None:
                continue
            if isinstance(child, str):
                element.text = (element.text or "") + child
            elif isinstance(child, (list, tuple)):
                element.extend(c for c in child if c is not None)
            else:
                element.append(child)
        return element


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
