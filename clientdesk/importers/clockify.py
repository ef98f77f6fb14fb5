"""Clockify's detailed report, exported as CSV (Reports > Detailed > Export > Save as CSV).

`Project,Client,Description,Task,User,Group,Email,Tags,Billable,Start Date,Start Time,End Date,End Time,Duration (h),Duration (decimal),Billable Rate (EUR),Billable Amount (EUR)`,
columns in any order. Dates and times follow the exporting user's settings:
`MM/DD/YYYY` or ISO dates (the order of slashed dates is decided from the
whole file and said in the summary), 24-hour or 12-hour times (`10:23 AM`).
"""

from __future__ import annotations

from clientdesk.importers.base import ImportOptions, Translation, norm_header
from clientdesk.importers.tracker_csv import TrackerColumns, translate_tracker_csv

NAME = "clockify"
LABEL = "Clockify detailed report (CSV)"
KIND = "csv"

COLUMNS = TrackerColumns(
    columns={
        "project": ("Project",),
        "client": ("Client",),
        "description": ("Description",),
        "task": ("Task",),
        "user": ("User",),
        "email": ("Email",),
        "tags": ("Tags",),
        "billable": ("Billable",),
        "start_date": ("Start Date",),
        "start_time": ("Start Time",),
        "end_date": ("End Date",),
        "end_time": ("End Time",),
        "duration": ("Duration (h)",),
        "hours": ("Duration (decimal)",),
    },
    patterns={"rate": r"billable rate \((\w+)\)", "amount": r"billable amount \((\w+)\)"},
    required=("start_date", "start_time"),
)


def recognises(header: list[str]) -> bool:
    names = {norm_header(h) for h in header}
    return {"start date", "start time"} <= names and ("duration (h)" in names or "duration (decimal)" in names)


def translate(text: str, filename: str, options: ImportOptions) -> Translation:
    return translate_tracker_csv(text, filename, options, NAME, COLUMNS)
