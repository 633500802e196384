"""Job and self-employment trackers: the evidence that a participant moved into work."""
