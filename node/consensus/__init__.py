"""Consensus: block authoring (instant, interval, manual sealing) and finality."""
