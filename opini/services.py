"""Operations of opinion monitoring beyond single transitions."""

from django.db import IntegrityError, transaction

from sop import services as engine


def catat_opini(form, user):
    """Record an opinion from a valid :class:`~opini.forms.OpiniForm` as ``user`` (step 1)
    and start it on the SOP. Returns the new case, or None if the same post was recorded
    meanwhile (the unique normalised link decides; nothing is half-written)."""
    opini = form.save(commit=False)
    opini.dicatat_oleh = user
    try:
        with transaction.atomic():
            engine.start(opini, by=user, note="Opini dicatat dari hasil pantauan.")
    except IntegrityError:
        return None
    return opini
