"""Index: the embedding model, its export, the BM25 index, the on-disk store and the indexer that syncs them."""
