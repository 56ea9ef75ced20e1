"""Administration: accounts and the audit trail. An administrator never reads sealed bids."""
