"""The strategy workers at work: the async shells around the strategies."""
