"""Everything Pustaka prints, in one place: ``sheets`` (a layout of labels on a page, as PDF),
``barcodes`` (Code 128 and Code 39, drawn with reportlab), ``labels`` (spine and barcode labels for
copies) and ``cards`` (patron cards)."""
