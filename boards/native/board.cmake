# The host as a board: a Linux process serving the protocol on stdin/stdout
# (or a pseudo-terminal with --pty). Also the build that runs the host tests.
set(TP_BOARD_KIND host)
set(TP_BOARD_DRIVERS posix)
set(TP_BOARD_KERNEL_BACKEND reference)
