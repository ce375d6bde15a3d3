"""Pages of the work-order app, by topic: the editor and list, history, statuses and
settings, appointments, printed documents."""
