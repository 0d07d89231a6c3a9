#pragma once
// The retrieval service over a tiny trained run (LSH on 8 x 8 images of 10 classes, made once per
// process in a temporary folder, before the first input), for the HTTP and query-JSON targets.
#include "hashrl/serve/query_service.h"

namespace hashrl::fuzz {

QueryService& service();

}  // namespace hashrl::fuzz
