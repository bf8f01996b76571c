"""What bench/load_bench.py serves: the project's settings plus a bare view, for the benchmark only."""
