"""Stored reports: the figures of a closed day, ISO week or month (computed by the same
analytics functions as the API), the periods the reports job owes, and their HTML and CSV."""
