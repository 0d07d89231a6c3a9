// Envs written in Python. A subclass of hashrl.Env passes its EnvSpec to Env.__init__ and defines
// reset, step and observe_features; it then runs wherever a C++ env does (rollout, check_env, the
// learners, the trainer), and register_env makes `[env] kind = NAME` build one from a config.
#include <fmt/format.h>

#include "bindings.h"
#include "hashrl/common/error.h"
#include "hashrl/envs/env_registry.h"
#include "py_env.h"

namespace hashrl::python {

namespace {

// A tensor from a Python value that may also be a plain bool or number, broadcast to [B].
torch::Tensor per_episode(const py::handle& value, const EnvSpec& spec, torch::Dtype dtype, const char* what,
                          const std::string& env) {
  if (THPVariable_Check(value.ptr())) return value.cast<torch::Tensor>();
  if (py::isinstance<py::bool_>(value) || py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value))
    return torch::full({spec.batch_size}, value.cast<double>(), torch::dtype(dtype).device(spec.device));
  fail("{}.step: {} must be a tensor [{}] or a number, got a {}", env, what, spec.batch_size, type_name(value));
}

// The C++ side of a Python env: each call goes to the method of the same name on the Python
// object that owns `owner` (found through pybind11's registry of instances, so that this side
// holds no reference and the object's life is Python's alone).
class PythonEnv : public Env {
 public:
  PythonEnv(EnvSpec spec, const EnvHandle* owner) : spec_(std::move(spec)), owner_(owner) {}

  const EnvSpec& spec() const override { return spec_; }

  std::pair<Observation, Info> reset(std::optional<uint64_t> seed) override {
    py::gil_scoped_acquire gil;
    const py::object out = method("reset")(seed ? py::cast(*seed) : py::none());
    if (!py::isinstance<py::tuple>(out) || py::len(out) != 2)
      fail("{}.reset must return (obs, info), got a {}", name(), type_name(out));
    const auto pair = out.cast<py::tuple>();
    return {to_observation(pair[0]), to_info(pair[1], "reset")};
  }

  // The Python step gets the action as {"bits": [rows, k], "probs": [rows, k]} and returns
  // Gymnasium's (obs, reward, terminated, truncated, info). The reward's two terms come from
  // info["group_reward"] and info["global_reward"] when it has them; otherwise the whole reward is
  // the group term (check_env then holds an env that declares a global term to paying it).
  StepResult step(const Action& action) override {
    py::gil_scoped_acquire gil;
    py::dict given;
    given["bits"] = action.bits;
    given["probs"] = action.probs;
    const py::object out = method("step")(given);
    if (!py::isinstance<py::tuple>(out) || py::len(out) != 5)
      fail("{}.step must return (obs, reward, terminated, truncated, info), got a {}", name(), type_name(out));
    const auto five = out.cast<py::tuple>();
    StepResult r;
    r.observation = to_observation(five[0]);
    r.reward = per_episode(five[1], spec_, torch::kFloat32, "reward", name());
    r.terminated = per_episode(five[2], spec_, torch::kBool, "terminated", name());
    r.truncated = per_episode(five[3], spec_, torch::kBool, "truncated", name());
    r.info = to_info(five[4], "step");
    const auto take = [&](const char* key) {
      auto found = r.info.find(key);
      if (found == r.info.end()) return torch::Tensor();
      auto value = found->second;
      r.info.erase(found);
      return value;
    };
    r.group_reward = take("group_reward");
    r.global_reward = take("global_reward");
    if (!r.group_reward.defined()) r.group_reward = r.global_reward.defined() ? r.reward - r.global_reward : r.reward;
    if (!r.global_reward.defined()) r.global_reward = torch::zeros_like(r.reward);
    return r;
  }

  torch::Tensor observe_features(const torch::Tensor& items) override {
    py::gil_scoped_acquire gil;
    return method("observe_features")(items).cast<torch::Tensor>();
  }

  std::vector<torch::Tensor> parameters() const override {
    py::gil_scoped_acquire gil;
    if (!overrides("parameters")) return {};
    return self().attr("parameters")().cast<std::vector<torch::Tensor>>();
  }

 private:
  py::object self() const { return py::cast(owner_, py::return_value_policy::reference); }
  std::string name() const { return spec_.name.empty() ? type_name(self()) : spec_.name; }

  // Whether the subclass defines `method` itself; the binding's own would call back into this env.
  bool overrides(const char* method) const {
    return !py::getattr(py::type::of(self()), method).is(py::getattr(py::type::of<EnvHandle>(), method));
  }
  py::object method(const char* method) const {
    if (!overrides(method)) fail("a hashrl.Env subclass must define {}(): {} does not", method, type_name(self()));
    return self().attr(method);
  }

  Info to_info(const py::handle& info, const char* what) const {
    if (!py::isinstance<py::dict>(info))
      fail("{}.{}: info must be a dict, got a {}", name(), what, type_name(info));
    Info out;
    // Learners and the rollout never read info: what is not a tensor stays on the Python side.
    for (const auto& [key, value] : info.cast<py::dict>())
      if (THPVariable_Check(value.ptr())) out[py::str(key).cast<std::string>()] = value.cast<torch::Tensor>();
    return out;
  }

  EnvSpec spec_;
  const EnvHandle* owner_;
};

// An env that a registered Python factory made, kept alive by the C++ side as long as it runs.
class HeldEnv : public Env {
 public:
  explicit HeldEnv(std::shared_ptr<EnvHandle> handle) : handle_(std::move(handle)) {}
  const EnvSpec& spec() const override { return env().spec(); }
  std::pair<Observation, Info> reset(std::optional<uint64_t> seed) override { return env().reset(seed); }
  StepResult step(const Action& action) override { return env().step(action); }
  std::vector<torch::Tensor> parameters() const override { return env().parameters(); }
  torch::Tensor observe_features(const torch::Tensor& items) override { return env().observe_features(items); }
  torch::Tensor encoder_inputs() const override { return env().encoder_inputs(); }
  torch::Tensor encode(const torch::Tensor& inputs) override { return env().encode(inputs); }
  void save(torch::serialize::OutputArchive& archive) const override { env().save(archive); }
  void load(torch::serialize::InputArchive& archive) override { env().load(archive); }

 private:
  Env& env() const { return handle_->get(); }
  std::shared_ptr<EnvHandle> handle_;
};

}  // namespace

std::shared_ptr<Env> make_python_env(EnvSpec spec, const EnvHandle* owner) {
  return std::make_shared<PythonEnv>(std::move(spec), owner);
}

void bind_python_envs(py::module_& m) {
  m.def("register_env", [](const std::string& name, py::object factory, const std::string& summary, bool replace) {
        auto* held = new py::object(std::move(factory));  // for the life of the registry
        add_python_factory(env_registry(), name, [held, name](const Config& config, const LoadedData& data)
                                                     -> std::unique_ptr<Env> {
          py::gil_scoped_acquire gil;
          const LentConfig lent(config, "env");
          py::object made = (*held)(lent.view(), to_python(data));
          if (!py::isinstance<EnvHandle>(made))
            fail("the factory of env '{}' returned a {}, not a hashrl.Env", name, type_name(made));
          return std::make_unique<HeldEnv>(hold<EnvHandle>(std::move(made)));
        }, summary, replace);
      }, py::arg("name"), py::arg("factory"), py::arg("summary") = "", py::arg("replace") = false,
      R"(Makes `env.kind = name` build factory(section, data): the config's [env] section and the
data set as load_data returns it; the factory returns a hashrl.Env (a subclass written in Python, or
make_env's). The trainer, check_config and make_env then build it by name.)");
}

}  // namespace hashrl::python
