"""Clinical data: times from baseline, laboratory values, the clinical course, tables."""
