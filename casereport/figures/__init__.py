"""Figures: staging, composition, grid, images, annotation, legends, the course chart."""
