"""Benchmarks: accuracy against ground truth and throughput, reported as numbers."""
