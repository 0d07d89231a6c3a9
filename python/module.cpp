// hashrl._core, the compiled half of the Python package `hashrl` (python/hashrl/__init__.py is the
// other). Errors: hashrl's own become hashrl.Error (a ValueError) with the C++ message, and a file
// that cannot be opened, read or written hashrl.FileError (a hashrl.Error and an OSError); LibTorch's
// become RuntimeError without the C++ stack trace.
#include <c10/util/Exception.h>
#include <dlfcn.h>

#include "bindings.h"
#include "hashrl/common/blas_core.h"
#include "hashrl/common/error.h"
#include "hashrl/common/file_error.h"
#include "hashrl/common/plugins.h"

PYBIND11_MODULE(_core, m) {
  namespace py = pybind11;
  using namespace hashrl::python;
  m.doc() = "hashrl: learning to hash as reinforcement learning (DRLIH)";
  m.attr("__version__") = HASHRL_VERSION;

  static py::exception<hashrl::Error> error(m, "Error", PyExc_ValueError);
  // Two bases, so that both `except hashrl.Error` and `except OSError` catch it.
  static py::object file_error = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc("hashrl._core.FileError", "a file that cannot be opened, read or written",
                                py::make_tuple(error, py::handle(PyExc_OSError)).ptr(), nullptr));
  m.attr("FileError") = file_error;
  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const hashrl::FileError& e) {
      PyErr_SetString(file_error.ptr(), e.what());
    } catch (const hashrl::Error& e) {
      error(e.what());
    } catch (const c10::Error& e) {
      PyErr_SetString(PyExc_RuntimeError, hashrl::without_backtrace(e.what_without_backtrace()).c_str());
    }
  });

  // Python loaded this module with RTLD_LOCAL; a plugin (common/plugins.h) resolves hashrl's
  // functions against the process, so this module's symbols are made global first.
  Dl_info self;
  if (::dladdr(reinterpret_cast<void*>(&hashrl::load_plugin), &self) && self.dli_fname)
    ::dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);

  bind_config(m);
  bind_env(m);
  bind_python_envs(m);
  bind_components(m);
  bind_toolkit(m);

  m.def("blas_advice", [] {
    // The process has one OpenBLAS, loaded with torch before this module: it cannot be re-executed
    // as the CLI does, only told how to start faster.
    const auto name = hashrl::choose_blas_core(hashrl::blas_core_name(), hashrl::CpuFeatures::detect(),
                                               hashrl::BlasCoreRequest::from_environment(),
                                               std::getenv("OPENBLAS_CORETYPE") != nullptr);
    return name.empty() ? std::string()
                        : "OpenBLAS runs its " + hashrl::blas_core_name() + " kernel on a CPU that can run " + name +
                              ": start Python with OPENBLAS_CORETYPE=" + name + " for faster matrix products";
  }, "a line of advice when OpenBLAS fell back to a slow kernel, else ''");
  m.def("load_plugin", &hashrl::load_plugin, py::arg("path"),
        "loads a C++ plugin (a shared library whose registrations add components), as hashrl --plugin does");
  m.def("blas", &hashrl::describe_blas, "the BLAS library and kernel in use ('OpenBLAS SkylakeX')");
}
