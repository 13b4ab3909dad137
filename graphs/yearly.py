"""Yearly state–institution networks, built for all years at once from the spells.

Rows of every matrix follow ``dataset.state_codes`` and columns ``dataset.institution_ids`` (both sorted),
so matrices of different years line up. Snapshot convention: see :mod:`graphs.dates`.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import scipy.sparse as sp

from . import schema as S
from .dataset import Dataset, StatusWeights
from .dates import first_year, last_year


def _expand(first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For intervals [first, last] return (interval index, value) for every integer inside, vectorised."""
    n = np.maximum(last - first + 1, 0)
    idx = np.repeat(np.arange(len(first)), n)
    offsets = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    return idx, first[idx] + offsets


class YearlyNetwork:
    """The bipartite membership network of every year of a dataset.

    >>> from graphs import load_dataset, YearlyNetwork
    >>> net = YearlyNetwork(load_dataset())
    >>> net.biadjacency(2024)[:, net.institution_ids.index("NATO")].sum()   # doctest: +SKIP
    32.0
    """

    def __init__(self, dataset: Dataset, weights: StatusWeights | None = None):
        self.dataset = dataset
        self.weights = weights or StatusWeights()
        self.years = dataset.years
        self.state_codes = dataset.state_codes
        self.institution_ids = dataset.institution_ids
        y0, y1 = self.years.start, self.years.stop - 1
        spell, year = _expand(np.maximum(dataset.spell_first, y0), np.minimum(dataset.spell_last, y1))
        self._year = (year - y0).astype(np.int32)
        self._state = dataset.spell_state[spell]
        self._inst = dataset.spell_institution[spell]
        self._status = dataset.spell_status[spell]
        self._weight = self.weights.as_array()[self._status]

    # ---- lifetimes ---------------------------------------------------------------------------------
    def _life(self, records, born_attr: str, died_attr: str) -> tuple[np.ndarray, np.ndarray]:
        ds = self.dataset
        born = np.array([first_year(getattr(r, born_attr), ds.today) for r in records], dtype=np.int32)
        died = np.array([last_year(getattr(r, died_attr), ds.current_year, ds.today) for r in records],
                        dtype=np.int32)
        return born, died

    @cached_property
    def _state_life(self):
        return self._life([self.dataset.state[c] for c in self.state_codes], "start", "end")

    @cached_property
    def _inst_life(self):
        return self._life([self.dataset.institution[i] for i in self.institution_ids], "founded", "dissolved")

    def states_alive(self, year: int) -> np.ndarray:
        """Boolean mask of the states that exist at the snapshot of ``year``."""
        born, died = self._state_life
        return (born <= year) & (year <= died)

    def institutions_alive(self, year: int) -> np.ndarray:
        born, died = self._inst_life
        return (born <= year) & (year <= died)

    def present(self, year: int, kind: str = "states") -> np.ndarray:
        """Matrix indices of the states (or institutions) in ``year``'s graph, in matrix order: those alive at
        the snapshot, plus any endpoint of a spell counting that year (a partial date can put a spell a year
        beyond a lifetime's edge)."""
        counting = self._rows_of_year(self._yi(year))
        if kind == "states":
            mask, ends = self.states_alive(year), self._state
        else:
            mask, ends = self.institutions_alive(year), self._inst
        mask[ends[counting]] = True
        return np.flatnonzero(mask)

    @cached_property
    def _year_order(self) -> tuple[np.ndarray, np.ndarray]:
        """The spell-year rows sorted by year, and where each year's run starts (one sort instead of a scan of
        every row per query)."""
        order = np.argsort(self._year, kind="stable")
        starts = np.searchsorted(self._year[order], np.arange(len(self.years) + 1))
        return order, starts

    def _rows_of_year(self, yi: int) -> np.ndarray:
        order, starts = self._year_order
        return order[starts[yi]:starts[yi + 1]]

    # ---- matrices ------------------------------------------------------------------------------------
    def _yi(self, year: int) -> int:
        self.dataset.check_year(year)
        return year - self.years.start

    @cached_property
    def stacked(self) -> sp.csr_matrix:
        """All years' weighted biadjacency matrices stacked vertically: row ``y*S + s``, column ``i``.

        Only ties (weight > 0) are stored.
        """
        S_, I_ = len(self.state_codes), len(self.institution_ids)
        keep = self._weight > 0
        rows = self._year[keep].astype(np.int64) * S_ + self._state[keep]
        return sp.csr_matrix((self._weight[keep], (rows, self._inst[keep])), shape=(len(self.years) * S_, I_))

    @cached_property
    def block_diagonal(self) -> sp.csr_matrix:
        """All years' biadjacency matrices on the diagonal (row ``y*S+s``, column ``y*I+i``).

        ``B B^T`` of this matrix is every year's state projection in one sparse product.
        """
        S_, I_ = len(self.state_codes), len(self.institution_ids)
        keep = self._weight > 0
        y = self._year[keep].astype(np.int64)
        return sp.csr_matrix((self._weight[keep], (y * S_ + self._state[keep], y * I_ + self._inst[keep])),
                             shape=(len(self.years) * S_, len(self.years) * I_))

    def biadjacency(self, year: int) -> sp.csr_matrix:
        """Weighted state × institution matrix of ``year`` (rows ``state_codes``, columns ``institution_ids``)."""
        S_ = len(self.state_codes)
        y = self._yi(year)
        return self.stacked[y * S_:(y + 1) * S_]

    def statuses(self, year: int) -> dict[tuple[str, str], str]:
        """Every (state, institution) -> status at the snapshot of ``year``, ties and attributes alike."""
        sel = np.flatnonzero(self._year == self._yi(year))
        return {(self.state_codes[self._state[k]], self.institution_ids[self._inst[k]]): S.STATUSES[self._status[k]]
                for k in sel}

    # ---- graph objects -------------------------------------------------------------------------------
    def to_networkx(self, year: int, *, all_statuses: bool = False):
        """The bipartite graph of ``year`` as a networkx Graph.

        Nodes: every state (``bipartite=0``) and institution (``bipartite=1``) alive that year, whether or
        not it has ties. Edges carry ``status`` and ``weight``; with ``all_statuses=True`` non-tie statuses
        (observers, partners...) are added as weight-0 edges, otherwise they are listed in the state's
        ``other_statuses`` attribute (``"SCO:observer;ASEAN:dialogue-partner"``).
        """
        import networkx as nx

        ds = self.dataset
        g = nx.Graph(year=year)
        sel = np.flatnonzero(self._year == self._yi(year))
        for k in self.present(year, "states"):
            s = ds.state[self.state_codes[k]]
            g.add_node(s.code, bipartite=0, name=s.name, kind=s.kind, region=s.region, other_statuses="")
        for k in self.present(year, "institutions"):
            i = ds.institution[self.institution_ids[k]]
            g.add_node(i.id, bipartite=1, name=i.name, type=i.type, domain=i.domain, formality=i.formality,
                       orientation=i.orientation)
        others: dict[str, list[str]] = {}
        for k in sel:
            a, b = self.state_codes[self._state[k]], self.institution_ids[self._inst[k]]
            status, w = S.STATUSES[self._status[k]], float(self._weight[k])
            if w > 0 or all_statuses:
                g.add_edge(a, b, status=status, weight=w)
            else:
                others.setdefault(a, []).append(f"{b}:{status}")
        for a, items in others.items():
            g.nodes[a]["other_statuses"] = ";".join(items)
        return g

    def to_igraph(self, year: int):
        """The bipartite graph of ``year`` as an igraph Graph (vertex ``type`` False=state, True=institution).

        Vertices are the states of :meth:`present`, then its institutions, in matrix order; edges are
        the ties (weight > 0) with ``weight`` and ``status``.
        """
        import igraph as ig

        B = self.biadjacency(year).tocoo()
        st_idx, in_idx = self.present(year, "states"), self.present(year, "institutions")
        st_pos = np.full(len(self.state_codes), -1)
        st_pos[st_idx] = np.arange(len(st_idx))
        in_pos = np.full(len(self.institution_ids), -1)
        in_pos[in_idx] = np.arange(len(in_idx)) + len(st_idx)
        edges = np.column_stack([st_pos[B.row], in_pos[B.col]])
        g = ig.Graph(n=len(st_idx) + len(in_idx), edges=edges.tolist())
        g.vs["name"] = [self.state_codes[k] for k in st_idx] + [self.institution_ids[k] for k in in_idx]
        g.vs["type"] = [False] * len(st_idx) + [True] * len(in_idx)
        g.es["weight"] = B.data.tolist()
        status = self.status_matrix(year).tocoo()
        lookup = dict(zip(zip(status.row.tolist(), status.col.tolist()), status.data.tolist()))
        g.es["status"] = [S.STATUSES[lookup[(r, c)] - 1] for r, c in zip(B.row.tolist(), B.col.tolist())]
        return g

    def status_matrix(self, year: int) -> sp.csr_matrix:
        """State × institution matrix of status codes + 1 (index into ``schema.STATUSES``), all statuses."""
        sel = self._year == self._yi(year)
        return sp.csr_matrix((self._status[sel].astype(np.int16) + 1, (self._state[sel], self._inst[sel])),
                             shape=(len(self.state_codes), len(self.institution_ids)))
