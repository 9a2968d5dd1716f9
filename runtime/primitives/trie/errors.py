"""Trie errors: one root (`TrieError`), each message naming the check that failed.

Decoders, store walks and proof checks raise these and nothing else, so callers can catch one type
for "this trie data is bad" without ever seeing an IndexError escape from a slice.
"""

from __future__ import annotations


class TrieError(Exception):
    """Root of every trie failure: bad node bytes, a missing node, a bad proof, bad arguments."""


class TrieDecodeError(TrieError):
    """Encoded node bytes are truncated, over-long, non-canonical or use a forbidden header."""


class IncompleteDatabaseError(TrieError):
    """A node (or V1 value node) referenced by hash is absent from the node store."""


class InvalidProofError(TrieError):
    """A storage proof does not prove what it was asked to prove."""


class ProofMissingNodeError(InvalidProofError):
    """The proof lacks a node (or value node) on the path of a key being verified."""


class ProofMalformedNodeError(InvalidProofError):
    """A node of the proof on a verified path cannot be decoded."""


class ProofValueMismatchError(InvalidProofError):
    """The proof is complete for a key but proves a different value (or presence) than expected."""
