"""Everything that imports Streamlit: shared page helpers, the exploration page builder, the server entry."""
