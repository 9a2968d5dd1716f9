"""Tests of the grandpa pallet."""
