from django.apps import AppConfig
from django.core.signals import request_started
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save


class SopConfig(AppConfig):
    name = "sop"
    verbose_name = "Mesin SOP"

    def ready(self):
        from . import memo
        from .models import HariLibur, Lane, Sop, Step

        # What sop.memo holds is dropped when it changes: the admin, imports, muat_sop.
        for model in (Sop, Lane, Step, HariLibur):
            post_save.connect(memo.changed, sender=model, dispatch_uid=f"sop.memo.{model.__name__}.save")
            post_delete.connect(memo.changed, sender=model, dispatch_uid=f"sop.memo.{model.__name__}.delete")
        # The queue keeps each officer's lanes: a user put in or out of a lane's group.
        m2m_changed.connect(memo.changed, sender=get_user_model().groups.through, dispatch_uid="sop.memo.groups")
        request_started.connect(memo.request_started, dispatch_uid="sop.memo.request_started")
