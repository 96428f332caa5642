SEARCH_CHANNEL_QUERIES = 4
"""What the vacancy page's search channels cost, whatever the data: the vacancy's search state (its
matches per country), its channel periods, its shares under agreements, its cases per country."""
