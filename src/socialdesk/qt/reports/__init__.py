"""The Reports view's parts: charts, tables, the campaign report and its PDF, the Today card."""
