"""Storage, import, declarations and statistics of the CX dashboard; never imports streamlit."""
