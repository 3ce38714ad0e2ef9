# The build machine's own CPU (the native board): the host compiler, no
# start-up code of ours (the C runtime's), the portable kernels.
set(TP_CPU_KIND host)
set(TP_CPU_KERNEL_BACKEND reference)
