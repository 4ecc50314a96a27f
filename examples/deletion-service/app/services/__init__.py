"""Business rules. Services own the transaction: they commit, repositories only flush."""
