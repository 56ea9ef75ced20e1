"""Vendor pages: browse tenders, download the price sheet, submit, replace and withdraw bids."""
