"""The filter library: one small class per filter, usable without Beam (see the filters issue)."""
