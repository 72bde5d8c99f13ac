//! flowdist control plane (stub)
