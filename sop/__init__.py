"""The SOP engine: SOP documents as data, the work calendar, the Task table, the one
transition service, the deadline sweep and the notification outbox. It knows no workflow app;
workflow apps extend :class:`sop.models.Case` and move cases with :mod:`sop.services`."""
