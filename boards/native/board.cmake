# The host as a board: a Linux process serving the protocol on stdin/stdout
# (or a pseudo-terminal with --pty). Also the build that runs the host tests.
set(TP_BOARD_CPU host)
set(TP_BOARD_DRIVERS posix)
