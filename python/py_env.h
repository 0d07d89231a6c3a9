#pragma once
// The pieces of the env binding that the component bindings reuse (a Python agent sees the same
// observation dicts that env.reset/step return).
#include "bindings.h"
#include "hashrl/env/env.h"

namespace hashrl::python {

// An env owned by Python; close() drops it before the Python object goes.
struct EnvHandle {
  std::shared_ptr<Env> env;
  Env& get() const;  // throws when closed
};

// {"features": [rows, D], "bits": [rows, q], "step": int}, and back.
py::dict to_python(const Observation& obs);
Observation to_observation(const py::handle& obs);

}  // namespace hashrl::python
