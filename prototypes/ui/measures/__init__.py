"""The measures tab of the prototype editor: measures, points, the run chart and its signals."""
