"""Background jobs of events: the reminder e-mails."""


def reminders_sweep() -> int:
    """Called by each worker at every heartbeat; queues the reminders that are due.

    Looks at most once a minute per process; returns how many e-mails it queued.
    Two workers sweeping at once queue each reminder once (decision 0023).
    """
    from .services import reminders_due_run

    return reminders_due_run()
