"""The strategy workers' adapters: stored candles (InfluxDB) and the bars topic's layout."""
