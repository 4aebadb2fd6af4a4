"""The analyzer: normalize → detect language → recognizers → classifier → context rules → merge → severity."""
