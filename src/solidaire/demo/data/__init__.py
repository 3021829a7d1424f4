"""Content of the demo: organizations, campaigns and the pools members are drawn from.

This is data, not interface text: organization names and multilingual campaign
texts are stored as content ({"fr": ..., "en": ...}), so `makemessages` skips
this folder. Facts (names of organizations and places, dates, counts, demands)
come from public accounts of the organizations' work; the wording is our own.
Every member is invented.
"""
