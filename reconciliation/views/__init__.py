"""The reconciliation pages: importing DWP's notification files (``imports``), the
unmatched queue (``queue``), the worklists (``worklist``) and a milestone's payment
(``payments``). The files and the queue are for Supervisors; the worklists for
Compliance officers too."""

from reconciliation.models import ImportedRow

PERMISSION = "reconciliation.import_notifications"
# Supervisors and Compliance officers: the worklists, not the files.
WORKLISTS = "reconciliation.view_worklists"
State = ImportedRow.State
