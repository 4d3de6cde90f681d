"""The user's own data: local partners, favourites, notes, settings — in a SQLite file of their own.

Importing this package is cheap (no SQLAlchemy): the UI imports the views before the first paint;
open_user_data() pulls in the database code when it is called (on a worker thread).

    from qpvdesk.userdata import open_user_data
    data = open_user_data(refs=CatalogueRefs.from_catalogue(catalogue))
    data.startup.messages      # French messages to show (recovery, upgrade)
    data.create_partner(PartnerFields(name="Centre social Élan", kind="social-centre", commune="Évry"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qpvdesk.userdata.views import (  # noqa: F401 - re-exported
    LOCAL_PREFIX,
    PARTNER_TYPES,
    BackupInfo,
    Favourite,
    FavouritesImportReport,
    ImportReport,
    LineIssue,
    LocalPartner,
    Note,
    NotesImportReport,
    PartnerFields,
    StartupReport,
    local_entity_id,
    local_uid,
)

if TYPE_CHECKING:
    from qpvdesk.userdata.refs import CatalogueRefs
    from qpvdesk.userdata.store import UserData


def open_user_data(folder=None, refs: CatalogueRefs | None = None, backup: bool = True) -> UserData:  # noqa: ANN001
    from qpvdesk.userdata.store import open_user_data as _open

    return _open(folder, refs, backup)


def catalogue_refs(catalogue) -> CatalogueRefs:  # noqa: ANN001 - qpvdesk.catalogue.Catalogue or CatalogueService
    """What the user data checks against: programmes, communes, QPV and entity ids of the catalogue."""
    from qpvdesk.userdata.refs import CatalogueRefs

    return CatalogueRefs.from_catalogue(getattr(catalogue, "catalogue", catalogue))
