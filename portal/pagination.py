"""Pagination of long searches."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A paginator that counts no further than ``cap`` rows.

    Counting every match of a broad search reads every row that matches (the directory's
    "recherche" matches 6 000 of 20 000 organisations); counting up to ``cap`` stops there.
    Past it, ``count`` is ``cap``, ``capped`` is true (say "more than…" and ask for a
    narrower search) and the pages end with the ``cap``-th row (``Paginator.page`` ends the
    last page at ``count``).
    """

    def __init__(self, object_list, per_page, *, cap, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self):
        # In any order: how many rows there are up to the cap does not depend on it, and the
        # database can stop at the first ``cap`` + 1 it finds instead of sorting them all.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self._counted, self.cap)

    @property
    def capped(self):
        return self._counted > self.cap
