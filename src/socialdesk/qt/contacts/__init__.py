"""The Contacts and Partners views, the contact editor and the import dialog."""
