// Configs from Python values, and the section view that Python factories read.
#include <fmt/format.h>
#include <torch/csrc/Device.h>
#include <torch/csrc/DynamicTypes.h>

#include "bindings.h"
#include "hashrl/common/error.h"
#include "hashrl/common/plugins.h"
#include "hashrl/common/run_seed.h"
#include "hashrl/train/kind_switch.h"

namespace hashrl::python {

namespace {

// A dict value as the INI text it stands for: booleans as true/false, lists comma-joined.
std::string ini_value(const py::handle& value) {
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "true" : "false";
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    std::string out;
    for (const auto& item : value) out += (out.empty() ? "" : ", ") + ini_value(item);
    return out;
  }
  return py::str(value).cast<std::string>();
}

void apply_dict(Config& config, const py::handle& values, const std::string& origin) {
  if (!py::isinstance<py::dict>(values))
    fail("{} must be a dict of 'section.key' -> value, got {}", origin, type_name(values));
  for (const auto& [key, value] : values.cast<py::dict>()) {
    const auto name = py::str(key).cast<std::string>();
    if (name.find('.') == std::string::npos)
      fail("{}: key '{}' must be 'section.key' (like 'env.code_length')", origin, name);
    config.set(name, ini_value(value), origin);
  }
}

}  // namespace

Config to_config(const py::handle& config, const py::handle& overrides) {
  Config out;
  if (py::isinstance<py::dict>(config)) {
    apply_dict(out, config, "config dict");
  } else if (py::isinstance<py::str>(config) || py::hasattr(config, "__fspath__")) {
    const auto text = py::str(py::module_::import("os").attr("fspath")(config)).cast<std::string>();
    const bool is_ini_text = text.find('\n') != std::string::npos || text.rfind('[', 0) == 0;
    out = is_ini_text ? Config::from_string(text, "<config string>") : Config::from_file(text);
  } else if (!config.is_none()) {
    fail("config must be an INI path, INI text or a dict of 'section.key' -> value, got {}", type_name(config));
  }
  load_plugins(out);  // plugins.load, before anything looks a kind up: a plugin may provide it
  if (!overrides.is_none()) {
    // As the CLI's --set (app/cli.cpp): a kind switched by an override drops the keys of the kind
    // it replaced, with a notice (here a Python warning), instead of failing on keys nobody reads.
    const auto kinds = kind_choices(out);
    apply_dict(out, overrides, "overrides");
    const auto warn = py::module_::import("warnings").attr("warn");
    for (const auto& notice : drop_replaced_kind_keys(out, kinds)) warn(notice);
    load_plugins(out);  // any that the overrides' plugins.load added
  }
  return out;
}

ConfigSection ConfigView::section() const {
  if (!*alive_)
    fail("config section [{}] was read after the factory it was lent to returned; read every key "
         "inside the factory",
         section_);
  return ConfigSection(*config_, section_);
}

uint64_t ConfigView::run_seed() const {
  section();  // checks the view is still lent
  return hashrl::run_seed(*config_);
}

py::object to_python(torch::Dtype dtype) {
  return py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(torch::getTHPDtype(dtype)));
}

py::object to_python(const torch::Device& device) {
  return py::reinterpret_steal<py::object>(THPDevice_New(device));
}

void bind_config(py::module_& m) {
  py::class_<ConfigView>(m, "ConfigSection",
                         "One section of a run's config, lent to a component's factory; reading a key "
                         "marks it used, so that a key nobody read is still reported as a typo.")
      .def_property_readonly("name", &ConfigView::name, "the section's name ('reward')")
      .def("has", [](const ConfigView& v, const std::string& key) { return v.section().has(key); }, py::arg("key"))
      .def("get_string", [](const ConfigView& v, const std::string& key, const std::string& fallback) {
             return v.section().get_string(key, fallback);
           }, py::arg("key"), py::arg("default"))
      .def("get_int", [](const ConfigView& v, const std::string& key, int64_t fallback, int64_t min, int64_t max) {
             return v.section().get_int(key, fallback, min, max);
           }, py::arg("key"), py::arg("default"), py::arg("min") = INT64_MIN, py::arg("max") = INT64_MAX)
      .def("get_float", [](const ConfigView& v, const std::string& key, double fallback, double min, double max) {
             return v.section().get_double(key, fallback, min, max);
           }, py::arg("key"), py::arg("default"), py::arg("min") = -1e308, py::arg("max") = 1e308)
      .def("get_bool", [](const ConfigView& v, const std::string& key, bool fallback) {
             return v.section().get_bool(key, fallback);
           }, py::arg("key"), py::arg("default"))
      .def("get_choice", [](const ConfigView& v, const std::string& key, const std::string& fallback,
                            const std::vector<std::string>& choices) {
             return v.section().get_choice(key, fallback, choices);
           }, py::arg("key"), py::arg("default"), py::arg("choices"))
      .def("get_list", [](const ConfigView& v, const std::string& key, const std::vector<std::string>& fallback) {
             return v.section().get_list(key, fallback);
           }, py::arg("key"), py::arg("default"))
      .def("run_seed", &ConfigView::run_seed,
           "the run's [train] seed, which an env's factory seeds its draws from (as every built-in env does)")
      .def("section", &ConfigView::sub, py::arg("name"), "a sub-section ('reward' -> 'reward.terms')")
      .def("__repr__", [](const ConfigView& v) { return fmt::format("<hashrl.ConfigSection [{}]>", v.name()); });

  m.def("resolve_config", [](const py::object& config, const py::object& overrides) {
        return to_config(config, overrides).to_ini();
      }, py::arg("config"), py::arg("overrides") = py::none(),
      "The INI text of a config given as a path, INI text or dict, with overrides applied "
      "(only the keys set; defaults are filled in when a component reads them).");
}

}  // namespace hashrl::python
