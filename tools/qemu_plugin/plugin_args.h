/* The arguments of the tinyperf TCG plugins that snapshot their counts at a
 * mark (insn_mix, pc_profile): out=FILE and mark=ADDRESS. */
#ifndef TP_PLUGIN_ARGS_H
#define TP_PLUGIN_ARGS_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Opens *out (left NULL without out=) and sets *mark (left 0 without
 * mark=; a Thumb symbol's bit 0 cleared); 0, or -1 after saying why on
 * stderr, prefixed by `who`. */
static inline int tp_plugin_args(const char* who, int argc, char** argv, FILE** out, uint64_t* mark) {
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "out=", 4) == 0) {
      *out = fopen(argv[i] + 4, "w");
      if (!*out) {
        fprintf(stderr, "%s: cannot write %s\n", who, argv[i] + 4);
        return -1;
      }
    } else if (strncmp(argv[i], "mark=", 5) == 0) {
      char* end = NULL;
      *mark = strtoull(argv[i] + 5, &end, 0) & ~(uint64_t)1;
      if (!end || *end || !*mark) {
        fprintf(stderr, "%s: mark=%s is not an address\n", who, argv[i] + 5);
        return -1;
      }
    } else {
      fprintf(stderr, "%s: unknown argument %s (out=FILE, mark=ADDRESS)\n", who, argv[i]);
      return -1;
    }
  }
  return 0;
}

#endif
