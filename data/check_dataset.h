#pragma once
// check_dataset: what every data set reader must return, reused by the readers' tests and by
// `hashrl check` (on the data set a config names). It lives with the readers, as check_env with
// the env interface.
#include "hashrl/common/check_report.h"
#include "hashrl/data/dataset.h"

namespace hashrl {

// A data set as a reader returned it: validate() holds, at least one item, labels in {0, 1} with
// at least one label per item, images uint8 or features finite float.
CheckReport check_dataset(const Dataset& data);

}  // namespace hashrl
