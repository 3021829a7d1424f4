"""Forms of the organizer pages, one module per domain: the forms of views/<name>.py live
in forms/<name>.py, and what several of them share in forms/base.py (decision 0057).
Import a form from its module; this package re-exports nothing."""
