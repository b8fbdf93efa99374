"""Odoo-free decision logic: feedback checks, signed tokens, scores and dates.

Plain functions with no database access, so they are easy to test and to port.
"""
