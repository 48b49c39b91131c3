"""One module per capability; each use case receives its ports in __init__."""
