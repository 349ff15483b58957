"""Sharing made easy for partners: tracked links and share kits (DESIGN.md, "Closing the loop")."""
