"""The JSON API described in OpenAPI 3.1, served at /api/openapi.json for the tools written against it."""
from django.http import HttpRequest, JsonResponse

from sohoa.archive.search import SORTS
from sohoa.pipeline.corrections import CORRECTABLE, DOSSIER_FIELDS, PAGE_CLASSES

ERROR = {"$ref": "#/components/schemas/Error"}
DOC_ID = {"name": "doc_id", "in": "path", "required": True, "schema": {"type": "string"},
          "example": "HS-2021-001.1"}


def answer(description: str, schema: dict | None = None, media: str = "application/json") -> dict:
    return {"description": description, **({"content": {media: {"schema": schema}}} if schema else {})}


REFUSALS = {"401": answer("No valid token or session", ERROR),
            "404": answer("No such record, or not one the user may see (the same answer)", ERROR),
            "503": answer("A backend (index, object storage) is unavailable", ERROR)}


REQUEST = {"$ref": "#/components/schemas/Request"}
REQUESTS = {"type": "object", "properties": {"requests": {"type": "array", "items": REQUEST}}}


def query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "sohoa portal API", "version": "1",
             "description": "Archived records under the portal's access control: a user sees a record when their "
                            "clearance covers its secrecy and, for conditional or restricted access, their unit "
                            "owns it or they hold an active grant. Tokens: `sohoa user token LOGIN`."},
    "security": [{"bearer": []}, {"session": []}],
    "paths": {
        "/api/search": {"get": {
            "summary": "Search full text and metadata, with or without Vietnamese marks",
            "description": "Exactly what `sohoa search --json --user LOGIN` prints for the same options.",
            "parameters": [
                query("q", "Words, every one must match; a number and symbol (213/TTr-SKHĐT) comes first"),
                query("type", "Type name (marks optional) or TT05 type code"),
                query("from", "Issued on or after (YYYY-MM-DD or DD/MM/YYYY)"),
                query("to", "Issued on or before"),
                query("organ", "Any part of the issuing body's name"),
                query("secrecy", "mat, toi mat, tuyet mat"),
                query("sort", "relevance (newest without q), newest, oldest, dossier", {"enum": list(SORTS)}),
                query("limit", "Hits per page", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 20}),
                query("after", "The cursor of the previous page: the next page")],
            "responses": {"200": answer("One page of hits", {"$ref": "#/components/schemas/SearchPage"}),
                          "400": answer("A malformed query, with the reason", ERROR), **REFUSALS}}},
        "/api/records/{doc_id}": {"get": {
            "summary": "One record (logged as a reading)", "parameters": [DOC_ID],
            "responses": {"200": answer("The record", {"$ref": "#/components/schemas/Record"}), **REFUSALS}}},
        "/api/records/{doc_id}/copy.pdf": {"get": {
            "summary": "A copy stamped for the user, entered in the copy register (logged)",
            "parameters": [DOC_ID],
            "responses": {"200": answer("The stamped copy", {"type": "string", "format": "binary"},
                                        "application/pdf"),
                          "403": answer("A copy of this record needs an approved copy request", ERROR),
                          **REFUSALS}}},
        "/api/records/{doc_id}/corrections": {"post": {
            "summary": "Correct a record (role archivist): a new version of its dossier's AIP, never an overwrite",
            "description": "The record, its PDF/A text layer, EAD, METS and PREMIS are written as a new version; "
                           "a PREMIS `metadata modification` event names the user, each field's old and new "
                           "value and the reason. The index follows in the background.",
            "parameters": [DOC_ID],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["reason"], "properties": {
                    "fields": {"type": "object", "additionalProperties": {"type": ["string", "null"]},
                               "description": "Field name and its value as it should read (null clears it): "
                                              + ", ".join(CORRECTABLE)},
                    "page_classes": {"type": "object", "additionalProperties": {"enum": list(PAGE_CLASSES)},
                                     "description": "Dossier page number and the page's class, "
                                                    "e.g. {\"3\": \"blank\"}"},
                    "reason": {"type": "string"},
                    "needs_review": {"type": ["boolean", "null"], "default": False,
                                     "description": "false settles the record, true sends it to review, "
                                                    "null leaves it as it is"}}}}}},
            "responses": {"200": answer("The record as it now is", {"$ref": "#/components/schemas/Record"}),
                          "400": answer("An unknown field, a malformed value or no reason", ERROR),
                          "403": answer("The user is not an archivist", ERROR),
                          "409": answer("The dossier is being changed by another run, or the corrected PDF/A "
                                        "failed validation: nothing was stored", ERROR),
                          **{k: v for k, v in REFUSALS.items() if k != "403"}}}},
        "/api/records/{doc_id}/versions": {"get": {
            "summary": "The record's versions, current last: when, by whom, why, the manifest committing each, "
                       "and the fields and PDF/A in it",
            "parameters": [DOC_ID],
            "responses": {"200": answer("The versions", {"type": "object", "properties": {
                "doc_id": {"type": "string"}, "versions": {"type": "array", "items": {"type": "object"}}}}),
                **REFUSALS}}},
        "/api/dossiers/{file_code}": {"post": {
            "summary": "Correct a dossier's own fields, those of its EAD (role archivist), as a new version",
            "parameters": [{"name": "file_code", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["fields", "reason"], "properties": {
                    "fields": {"type": "object", "description": "Any of " + ", ".join(DOSSIER_FIELDS),
                               "additionalProperties": {"type": ["string", "null"]}},
                    "reason": {"type": "string"}}}}}},
            "responses": {"200": answer("The dossier's fields as they now are", {"type": "object"}),
                          "400": answer("An unknown field, a malformed date, no title or no reason", ERROR),
                          "403": answer("The user is not an archivist", ERROR),
                          "409": answer("The dossier is being changed by another run", ERROR),
                          **{k: v for k, v in REFUSALS.items() if k != "403"}}}},
        "/api/dossiers/{file_code}/structure": {"post": {
            "summary": "Correct a dossier's structure (role archivist): which pages make each document, in order",
            "description": "Split a document (a new entry with doc_id null), merge one into another (leave it "
                           "out), move or reorder pages. Every page of the dossier in exactly one document. A "
                           "new version of the AIP; changed documents get new PDF/As; a new document goes to "
                           "review with its fields empty.",
            "parameters": [{"name": "file_code", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["documents", "reason"], "properties": {
                    "documents": {"type": "array", "items": {"type": "object", "required": ["pages"], "properties": {
                        "doc_id": {"type": ["string", "null"]},
                        "pages": {"type": "array", "items": {"type": "integer"}}}}},
                    "reason": {"type": "string"}}}}}},
            "responses": {"200": answer("The dossier's records as they now are", {"type": "object", "properties": {
                "file_code": {"type": "string"},
                "documents": {"type": "array", "items": {"$ref": "#/components/schemas/Record"}}}}),
                          "400": answer("A page missing, given twice or not the dossier's; an unknown document",
                                        ERROR),
                          "403": answer("The user is not an archivist", ERROR),
                          "409": answer("The dossier is being changed by another run, or a new PDF/A failed "
                                        "validation: nothing was stored", ERROR),
                          **{k: v for k, v in REFUSALS.items() if k != "403"}}}},
        "/api/requests": {
            "get": {"summary": "The user's own reading and copy requests, newest first",
                    "responses": {"200": answer("The requests", REQUESTS), **REFUSALS}},
            "post": {"summary": "File a reading or copy request (Circular 05 ch. 6)",
                     "requestBody": {"required": True, "content": {"application/json": {"schema": {
                         "$ref": "#/components/schemas/NewRequest"}}}},
                     "responses": {"201": answer("The request, with the deadline of its answer", REQUEST),
                                   "400": answer("A request without target or purpose, or out of range", ERROR),
                                   **REFUSALS}}},
        "/api/requests/queue": {"get": {
            "summary": "An approver's pending requests: their unit's, within their clearance and authority",
            "responses": {"200": answer("The requests, the most urgent first", REQUESTS), **REFUSALS}}},
        "/api/requests/{request_id}/decision": {"post": {
            "summary": "Approve (a time-limited grant) or refuse a request, with the reason (an audit event)",
            "parameters": [{"name": "request_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["approve", "reason"], "properties": {
                    "approve": {"type": "boolean"}, "reason": {"type": "string"},
                    "copies": {"type": "integer", "minimum": 1,
                               "description": "Copies authorised, at most those asked for (default: all)"}}}}}},
            "responses": {"200": answer("The request decided", REQUEST),
                          "400": answer("No reason, or more copies than asked for", ERROR),
                          "404": answer("No pending request of this number for this approver", ERROR),
                          **{k: v for k, v in REFUSALS.items() if k != "404"}}}},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                            "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"}},
        "schemas": {
            "NewRequest": {"type": "object", "required": ["target", "purpose"], "properties": {
                "target": {"type": "string", "description": "doc_id of a record or file code of a dossier"},
                "scope": {"enum": ["read", "copy", "certified-copy"], "default": "read"},
                "purpose": {"type": "string"},
                "days": {"type": "integer", "minimum": 1, "maximum": 365, "default": 30},
                "copies": {"type": "integer", "minimum": 1, "maximum": 20, "default": 1}}},
            "Request": {"type": "object", "required": ["id", "target", "scope", "state", "due"], "properties": {
                "id": {"type": "integer"}, "target": {"type": "string"}, "scope": {"type": "string"},
                "copies": {"type": ["integer", "null"]}, "purpose": {"type": "string"}, "days": {"type": "integer"},
                "state": {"enum": ["pending", "approved", "refused"]}, "requester": {"type": "string"},
                "created": {"type": "string", "format": "date-time"},
                "due": {"type": "string", "format": "date-time",
                        "description": "1 working day to read, 2 for a copy, 7 for conditional access"},
                "overdue": {"type": "boolean"}, "reason": {"type": ["string", "null"]},
                "decided_by": {"type": ["string", "null"]},
                "grant": {"type": ["object", "null"], "properties": {
                    "expires": {"type": "string", "format": "date-time"},
                    "copies": {"type": ["integer", "null"]}}}}},
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "Record": {"type": "object", "description": "An archived document (Decree 30 Phụ lục VI names)",
                       "required": ["doc_id", "file_code"], "additionalProperties": True,
                       "properties": {name: {"type": ["string", "null"]} for name in (
                           "doc_id", "file_code", "type_name", "type_code", "code_number", "code_notation",
                           "issued_date", "organ_name", "subject", "signer_position", "signer_name", "secrecy",
                           "urgency", "access_mode")}},
            "SearchPage": {"type": "object", "required": ["total", "facets", "cursor", "hits"], "properties": {
                "total": {"type": "integer", "description": "Exact, over the records the user may see"},
                "facets": {"type": "object", "additionalProperties": {"type": "array", "items": {
                    "type": "object", "properties": {"value": {"type": "string"}, "count": {"type": "integer"}}}}},
                "cursor": {"type": ["string", "null"]},
                "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Record"}}}},
        },
    },
}


def description(request: HttpRequest) -> JsonResponse:
    return JsonResponse(SPEC, json_dumps_params={"ensure_ascii": False})
