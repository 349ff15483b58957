"""The leverage planner's pieces, put together by :mod:`socialdesk.qt.planner.view`.

Data read off the GUI thread, the partner table, the network picture, the summary, the
asks dialog and list, and their undoable writes.
"""
