"""Job and self-employment trackers: the evidence that a participant moved into work.

Built on participants and organisations; the models arrive with the trackers issue (#4).
"""
