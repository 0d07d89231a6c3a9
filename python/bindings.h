#pragma once
// What the files of the Python module `hashrl._core` share (docs/python.md). Each bind_* function
// adds one part of the API to the module; module.cpp calls them in order.
//
// Tensors cross the boundary as torch.Tensor <-> torch::Tensor through torch/extension.h's
// casters: the same TensorImpl on both sides, never a copy.
#include <torch/extension.h>

#include <memory>
#include <string>

#include "hashrl/common/config.h"

namespace hashrl::python {

namespace py = pybind11;

// A config from what a Python caller passes: an INI path (str or os.PathLike), INI text (a str
// with a newline or starting with '['), or a dict of "section.key" -> value; then `overrides`
// (a dict, may be None) on top, as --set does.
Config to_config(const py::handle& config, const py::handle& overrides = py::none());

// A section of a Config lent to a Python factory for the length of one call: reading it marks keys
// used (as C++ factories do); using it after the factory returned is an error, not a dangling read.
class ConfigView {
 public:
  ConfigView(const Config& config, std::string section, std::shared_ptr<bool> alive)
      : config_(&config), section_(std::move(section)), alive_(std::move(alive)) {}
  // The section, checked to be still lent.
  ConfigSection section() const;
  // train.seed of the whole config (common/run_seed.h), which every env's factory seeds its draws from.
  uint64_t run_seed() const;
  ConfigView sub(const std::string& name) const { return {*config_, section_ + "." + name, alive_}; }
  const std::string& name() const { return section_; }

 private:
  const Config* config_;
  std::string section_;
  std::shared_ptr<bool> alive_;
};

// Lends `section` of `config` to Python until it goes out of scope.
class LentConfig {
 public:
  LentConfig(const Config& config, std::string section)
      : alive_(std::make_shared<bool>(true)), view_(config, std::move(section), alive_) {}
  ~LentConfig() { *alive_ = false; }
  const ConfigView& view() const { return view_; }

 private:
  std::shared_ptr<bool> alive_;
  ConfigView view_;
};

// The name of `object`'s Python class, for errors: "got a int".
inline std::string type_name(const py::handle& object) {
  return py::str(py::type::of(object).attr("__name__")).cast<std::string>();
}

// torch.dtype and torch.device objects for C++ values.
py::object to_python(torch::Dtype dtype);
py::object to_python(const torch::Device& device);

// A Python object that C++ holds as a shared_ptr<T> (a Python reward or agent in a C++ env or
// trainer): the Python object lives as long as the C++ pointer does.
template <class T>
std::shared_ptr<T> hold(py::object object) {
  T* raw = object.cast<T*>();
  auto* keep = new py::object(std::move(object));
  return std::shared_ptr<T>(raw, [keep](T*) {
    py::gil_scoped_acquire gil;
    delete keep;
  });
}

// Registers a Python factory under `name`, replacing an earlier one when `replace` is set (a
// notebook cell run again). The factory object lives as long as the registry: the process.
template <class Registry, class Factory>
void add_python_factory(Registry& registry, const std::string& name, Factory factory, const std::string& summary,
                        bool replace) {
  if (replace && registry.contains(name)) registry.remove(name);
  registry.add(name, std::move(factory), summary);
}

void bind_config(py::module_& m);
void bind_env(py::module_& m);
void bind_python_envs(py::module_& m);
void bind_components(py::module_& m);
void bind_toolkit(py::module_& m);

}  // namespace hashrl::python
