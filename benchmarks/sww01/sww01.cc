// sww01 (streaming wake word, MLPerf Tiny): for `db`, the raw input is the
// model's int8 feature tensor [1,30,1,40] (30 frames of 40 log-mel features,
// scale 0.00370104262, zero point -128) copied in unchanged, so the model can
// be checked apart from the audio stream; results are the 3 dequantized
// class scores. The on-device feature extractor and the per-hop pipeline are
// in pipeline.cc (include/tinyperf/sww01/pipeline.h).
#include "../adapters.h"
#include "../common/int8_passthrough.h"
#include "tinyperf/models/registry.h"

#if defined(TINYPERF_HAS_MODEL_SWW01)
namespace tp::bench {

constinit const Benchmark kSww01 = int8_passthrough<models::sww01>("sww01", declared::kSww01InputBytes);

}  // namespace tp::bench
#endif
