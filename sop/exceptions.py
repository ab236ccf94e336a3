"""What the engine raises to the pages: an action refused, with a reason people can read."""


class TindakanDitolak(Exception):
    """An action was refused; ``str(exc)`` says why, in Bahasa Indonesia. ``status`` is the
    HTTP status a view answers with: 403 when not allowed, 409 when the case moved on, 400
    when what was sent is incomplete."""

    def __init__(self, message, status=403):
        super().__init__(message)
        self.status = status
