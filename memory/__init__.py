"""Retrieval memory on Qdrant (arrives with the memory issue)."""
