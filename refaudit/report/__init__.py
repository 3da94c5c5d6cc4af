"""The printable report, as data: registry, verdicts and actions -> the contents the templates print.

Pure: no I/O, no clock, no Jinja, except ``render``, imported only to render. One module per reason to change:

- ``contents``: ``build_contents``, what the report prints, built in steps from the as-of view;
- ``narrative``: the summary's paragraph in words, and what to do now;
- ``charts``: the charts' geometry, and what each shows in words;
- ``redact``: what a shared copy may say about people (``--redact``, ``--anonymous``);
- ``settings``: the ``report:`` settings, checked once, with the paper size settled;
- ``render``: the contents to PDF or HTML (Jinja2 and WeasyPrint, imported inside its functions).
"""

from refaudit.report.applications import iso
from refaudit.report.charts import SENTIMENT_GROUP, risk_chart, timeline_chart
from refaudit.report.contents import ACTION_LABELS, RECOMMENDATIONS, build_contents, long_date
from refaudit.report.narrative import WATCH_MEANS
from refaudit.report.redact import Privacy, Redactor, clean, initials
from refaudit.report.settings import PAPERS, ReportSettings, paper_for, territory

__all__ = [
    "ACTION_LABELS",
    "PAPERS",
    "RECOMMENDATIONS",
    "SENTIMENT_GROUP",
    "WATCH_MEANS",
    "Privacy",
    "Redactor",
    "ReportSettings",
    "build_contents",
    "clean",
    "initials",
    "iso",
    "long_date",
    "paper_for",
    "risk_chart",
    "territory",
    "timeline_chart",
]
