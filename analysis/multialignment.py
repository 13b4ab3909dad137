"""Multialignment: belonging to rival camps at once (as India does with the Quad and the SCO).

Three measures, each per state and year:

* **orientation balance** -- the normalised Shannon entropy of a state's full memberships over the rival
  orientations ``western-led``, ``china/russia-led`` and ``global-south`` (universal bodies left out):
  ``B = -sum_k p_k ln p_k / ln 3`` with ``p_k`` the share of its labelled memberships in camp k. 0: all in
  one camp; 1: equal numbers in all three; equal numbers in two camps give ln 2 / ln 3 ≈ 0.63. Undefined
  (missing) for a state with no labelled membership.
* **participation coefficient** -- Guimerà & Amaral's ``P = 1 - sum_s (k_s / k)^2`` over the blocs of the
  projection, with ``k_s`` the tie weight to bloc s (Guimerà & Amaral 2005, "Functional cartography of complex
  metabolic networks", Nature 433: 895-900). 0: all ties inside one bloc. Label-free, so it also works on a
  COW import.
* **multialignment** (the headline index) -- the geometric mean ``M = sqrt(B' · P)``, where ``B'`` is the
  balance with 0 for a state that has no labelled membership. High only when a state both spreads its
  memberships across rival camps *and* has its ties spread across blocs. Worked examples:

  - a state only in western-led bodies: B = 0, so M = 0, however its ties spread;
  - a state in equally many western-led and china/russia-led bodies, with half its tie weight in each of two
    blocs: B = 0.63, P = 0.5, M = sqrt(0.315) ≈ 0.56;
  - a state only in universal bodies: B is missing, B' = 0, so M = 0 -- belonging to everything universal is
    not multialignment;
  - on data without orientation labels, B and M are missing and only P is reported.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

CAMPS = ("western-led", "china/russia-led", "global-south")


def orientation_labels(ds, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Institution id -> orientation, from the data, with ``overrides`` (id -> orientation) applied."""
    labels = {i.id: i.orientation for i in ds.institutions}
    for iid, o in (overrides or {}).items():
        iid = ds.resolve_institution(iid)
        from graphs import schema

        if o not in schema.ORIENTATIONS:
            from graphs.problems import DataError, Problem, did_you_mean

            raise DataError([Problem("orientation override", None, iid, o, "unknown orientation",
                                     did_you_mean(o, schema.ORIENTATIONS))])
        labels[iid] = o
    return labels


def read_orientation_file(path) -> dict[str, str]:
    """A mapping file: CSV with header ``institution,orientation``."""
    import csv

    from graphs.problems import DataError, Problem

    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or {"institution", "orientation"} - set(reader.fieldnames):
            raise DataError([Problem(str(path), 1, None, ",".join(reader.fieldnames or []),
                                     "expected the header institution,orientation")])
        return {r["institution"].strip(): r["orientation"].strip() for r in reader}


def camp_counts(B: sp.spmatrix, institution_ids, labels: dict[str, str]) -> np.ndarray:
    """States × camps matrix of full-membership counts in each rival camp."""
    A = (sp.csr_matrix(B) > 0).astype(float)
    onehot = np.array([[labels.get(i, "") == c for c in CAMPS] for i in institution_ids], dtype=float)
    return np.asarray(A @ onehot)


def orientation_balance(counts: np.ndarray) -> np.ndarray:
    """Normalised entropy of each row of camp counts; NaN where a row is all zero."""
    counts = np.asarray(counts, dtype=float)
    tot = counts.sum(1, keepdims=True)
    p = np.divide(counts, tot, out=np.zeros_like(counts), where=tot > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.where(p > 0, p * np.log(p), 0.0).sum(1) / np.log(len(CAMPS))
    return np.where(tot.ravel() > 0, h, np.nan)


def participation_coefficient(P: sp.spmatrix, blocs) -> np.ndarray:
    """``1 - sum_s (k_s / k)^2`` per row of the weighted projection ``P``; NaN for rows without ties."""
    P = sp.csr_matrix(P)
    blocs = np.asarray(blocs)
    n_blocs = blocs.max(initial=-1) + 1
    onehot = sp.csr_matrix((np.ones(len(blocs)), (np.arange(len(blocs)), blocs)), shape=(len(blocs), n_blocs))
    K = np.asarray((P @ onehot).todense())
    k = K.sum(1)
    share = np.divide(K, k[:, None], out=np.zeros_like(K), where=k[:, None] > 0)
    return np.where(k > 0, 1 - (share ** 2).sum(1), np.nan)


def multialignment_index(balance: np.ndarray, participation: np.ndarray, has_labels: bool = True) -> np.ndarray:
    """``sqrt(B' · P)``, with B' = B where defined and 0 otherwise; all NaN when the data has no labels."""
    if not has_labels:
        return np.full(len(balance), np.nan)
    b = np.where(np.isnan(balance), 0.0, balance)
    return np.sqrt(b * participation)


def straddled(B: sp.spmatrix, state_codes, institution_ids, labels: dict[str, str]) -> list[dict]:
    """For every state in at least two rival camps: each labelled institution it belongs to, with its camp."""
    A = (sp.csr_matrix(B) > 0).tocsr()
    out = []
    for r in range(A.shape[0]):
        cols = A.indices[A.indptr[r]:A.indptr[r + 1]]
        mine = [(institution_ids[c], labels.get(institution_ids[c], "")) for c in cols]
        mine = [(i, o) for i, o in mine if o in CAMPS]
        if len({o for _, o in mine}) >= 2:
            out += [{"state": state_codes[r], "institution": i, "orientation": o} for i, o in sorted(mine)]
    return out
