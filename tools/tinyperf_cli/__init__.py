"""Host side of tinyperf: the front-door script's sub-commands and the DUT driver."""
