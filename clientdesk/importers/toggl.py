"""Toggl Track's detailed report, exported as CSV (Reports > Detailed > Export > CSV).

`User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)`:
times are local without an offset (read in --timezone), Billable is Yes/No,
the Amount column's currency varies and it may be missing; Excel-saved
copies carry a BOM. The file has no row ids, so each entry's id is a hash of
its fields.
"""

from __future__ import annotations

from clientdesk.importers.base import ImportOptions, Translation, norm_header
from clientdesk.importers.tracker_csv import TrackerColumns, translate_tracker_csv

NAME = "toggl"
LABEL = "Toggl Track detailed report (CSV)"
KIND = "csv"

COLUMNS = TrackerColumns(
    columns={
        "user": ("User", "Member"),
        "email": ("Email",),
        "client": ("Client",),
        "project": ("Project",),
        "task": ("Task",),
        "description": ("Description",),
        "billable": ("Billable",),
        "start_date": ("Start date",),
        "start_time": ("Start time",),
        "end_date": ("End date",),
        "end_time": ("End time",),
        "duration": ("Duration",),
        "tags": ("Tags",),
    },
    patterns={"amount": r"amount \((\w+)\)"},
    required=("start_date", "start_time", "duration"),
)


def recognises(header: list[str]) -> bool:
    names = {norm_header(h) for h in header}
    return {"start date", "start time", "duration", "description"} <= names and "duration (decimal)" not in names


def translate(text: str, filename: str, options: ImportOptions) -> Translation:
    return translate_tracker_csv(text, filename, options, NAME, COLUMNS)
