"""The council meeting: what happened since the last meeting and where each promise stands."""
