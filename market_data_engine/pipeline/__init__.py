"""The live candle pipeline: trades from Kafka to candles on Kafka, InfluxDB and Redis.

Throughput first: records come in whole batches (``shared.bus.batch.BatchConsumer``), each
trade is decoded once on a fast path (``decoding``: JSON to plain data, decimal strings to
integer ticks and size steps with integer arithmetic), folded into its partition's
``Aggregator``, and each batch's outputs are written together: one Kafka send of the closed
bars, one InfluxDB write, one Redis transaction.

Exactly once in effect, across crashes and rebalances:

1. Each assigned partition has its own aggregator (symbols are keyed to partitions).
2. After a batch, its outputs are made durable first (bars acknowledged by Kafka, dead
   letters too, candles in InfluxDB), then Redis stores, in one transaction, the newest
   and forming candles with each changed partition's state: the aggregator's snapshot
   and the next offset it has not seen. Only then is that offset committed to Kafka.
3. On assignment a partition is paused, its saved state loaded, the consumer seeks to the
   saved offset, and the trades after it are replayed. The aggregator is deterministic,
   so the replay makes the same candles; those published before the snapshot are
   suppressed by its ``last_emitted``; those published after it (a crash between the
   writes and the save) come out again identical, with the same ``message_id``
   (``outputs.bar_message_id``), the same InfluxDB point and the same Redis member.
   Records below a state's offset are skipped, so a trade is never folded in twice.
4. On revocation or stop, the batch in hand finishes, changed states are saved, offsets
   committed. After a failure nothing is saved: the next consumer restores and replays.

Live mode closes candles by the clock as well; that clock is the log's (record timestamps)
while a partition catches up, and the wall clock once it has (see ``partition``), so a
replay sees the candles close where the first run did. One narrow exception: a trade
produced just before a partition caught up and handled just after a clock close.

Bad input goes to ``<topic>.dlq`` with a ``dlq.reason`` (``decoding.REASON_*``) and the
pipeline carries on; transient store errors are retried without dead-lettering anything.
"""
