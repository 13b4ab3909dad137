"""Analysis of the membership network: multialignment, centrality, blocs (see issue 4)."""
