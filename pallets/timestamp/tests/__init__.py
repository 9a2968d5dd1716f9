"""Tests of the timestamp pallet."""
