"""Tests of the sudo pallet."""
