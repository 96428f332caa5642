SEARCH_CHANNEL_QUERIES = 3
"""What the vacancy page's search channels cost, whatever the data: the vacancy's search state (its
matches per country), its channel periods, its cases per country (its shares under agreements are the
page's own list, read once: the budgets' "+ 1")."""
