# shellcheck shell=bash
# The fuzz targets: in conversions_fuzz.so, and the pure-C programs.
FUZZ_TARGETS=(funnel_in funnel_recv attribution_in attribution_recv lift_in lift_recv
              paths_in paths_recv funnel_state lift_state next_node_state paths_state model)
STANDALONE_TARGETS=(pattern credit)
