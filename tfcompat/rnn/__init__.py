"""Recurrent networks: RNN cells (``cell_impl``) and the drivers that run them (``rnn``)."""
