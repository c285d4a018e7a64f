"""Reference data: activity types and their fields, areas, and the files in data/."""
