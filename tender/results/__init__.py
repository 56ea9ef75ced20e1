"""The results pages under /results, for a tender's buyer and its panel: the opening
record, the ranking, the weight what-if and the reports."""
