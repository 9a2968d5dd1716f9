"""Tests of the utility pallet."""
