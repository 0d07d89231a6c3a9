#pragma once
// The pieces of the env binding that the component bindings reuse (a Python agent sees the same
// observation dicts that env.reset/step return).
#include "bindings.h"
#include "hashrl/data/data_source.h"
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

// A data set and its split as load_data returns it: "images" or "features", "labels", "query",
// "train", "database" (and "from_test_file" where the reader sets it).
py::dict to_python(const LoadedData& loaded);

// The C++ side of a hashrl.Env subclass written in Python (py_python_env.cpp): its calls go to the
// methods of the Python object that owns `owner`.
std::shared_ptr<Env> make_python_env(EnvSpec spec, const EnvHandle* owner);

}  // namespace hashrl::python
