"""UK GDPR duties that need every app's models: what is held on a participant
(``held``), the subject-access export (``subject_access``) and the retention purge
(``retention``). They sit in the project root, the one layer above every app."""
