"""The one semantic layer: indicator declarations and their compiler, periods, targets, progress and verdicts."""
