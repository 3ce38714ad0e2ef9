# The host as a board: a Linux process serving the protocol on stdin/stdout
# (or a pseudo-terminal with --pty). Also the build that runs the host tests.
set(TP_BOARD_CPU host)
# What has been shown for this board (./tinyperf boards prints it).
set(TP_BOARD_VERIFIED "runs on this host: the whole protocol suite, every golden byte-equal, selftest, benchmarks, serving (the kernel's host port, virtual clock), sww01 streaming over --audio (the same port and clock)")
set(TP_BOARD_DRIVERS posix)
# sww01 streaming (app/sww_stream on the kernel's host port, app/sww_stream_native.h)
# with its audio line on a Unix socket the host serves (board.cc --audio PATH).
set(TP_BOARD_SWW_STREAM ON)
