"""Cross-checking: within one document (`checks`), across the documents of an event
(`events`), with near-duplicate copies counted once (`copies`) and figures read as the
intervals of values they allow (`intervals`)."""
from .checks import check_document
from .claims import document_claims
from .copies import find_copies, near_duplicates
from .corpus import AnalysedTables, CrossCheck, cross_check
from .events import EventResult, group_events
from .incidents import ReportDescriptor, find_incidents, incident_rows, link_reports
from .intervals import interval, overlap, point

__all__ = ["AnalysedTables", "CrossCheck", "EventResult", "cross_check", "document_claims", "ReportDescriptor", "find_copies", "find_incidents", "incident_rows", "link_reports", "check_document", "group_events", "interval", "near_duplicates", "overlap", "point"]
