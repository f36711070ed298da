"""The design feature: safe-to-try prototypes, PDSA iterations, initiative maps."""
