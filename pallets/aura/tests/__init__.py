"""Tests of the aura pallet."""
