"""One module per area; each registers its scenarios with bench.framework.scenario."""
