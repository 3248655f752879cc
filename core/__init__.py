"""The core every other part builds on, importing nothing of the project: text normalisation, the domain
model, validated settings, the error tree with exit codes, the object-key layout and the manifest."""
