"""Public tender notices (招标公告) under /notices: every published tender — never a draft,
never a bid — listed to anyone, signed in or not, with its binding terms in words, its
amendments, the tender document (JSON) and the price-sheet template vendors fill in.

Whether a tender is public is asked of :mod:`scoring.lifecycle`
(``may_read("tender_notice", "public", state)``); the terms come from :mod:`scoring.notice`.
"""
