// hashrl.make_env and hashrl.Env: any registered env, Gymnasium-style, with torch tensors shared
// with C++.
#include <fmt/format.h>

#include <cmath>

#include "bindings.h"
#include "hashrl/common/error.h"
#include "hashrl/env/check_env.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/train/trainer.h"
#include "py_env.h"

namespace hashrl::python {

namespace {

// The sections that building an env reads: a key in them that nothing read is a typo.
const std::vector<std::string> kEnvSections = {"data", "env", "encoder", "reward", "sampler"};

py::tuple shape_of(const std::vector<int64_t>& shape) {
  py::tuple out(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) out[i] = shape[i];
  return out;
}

// An action as a Python caller passes it: the bits alone (then they are their own probabilities),
// a (bits, probs) pair, or a dict with "bits" and optionally "probs".
Action to_action(const py::handle& action) {
  auto tensor = [](const py::handle& value, const char* what) {
    if (!THPVariable_Check(value.ptr()))
      fail("action {} must be a torch.Tensor, got {}", what, type_name(value));
    return value.cast<torch::Tensor>();
  };
  if (py::isinstance<py::dict>(action)) {
    const auto dict = action.cast<py::dict>();
    if (!dict.contains("bits")) fail("an action dict needs 'bits' (and may have 'probs')");
    const auto bits = tensor(dict["bits"], "bits");
    return {bits, dict.contains("probs") ? tensor(dict["probs"], "probs") : bits};
  }
  if (py::isinstance<py::tuple>(action) || py::isinstance<py::list>(action)) {
    const auto pair = action.cast<py::sequence>();
    if (pair.size() != 2) fail("an action sequence must be (bits, probs), got {} items", pair.size());
    return {tensor(pair[0], "bits"), tensor(pair[1], "probs")};
  }
  const auto bits = tensor(action, "");
  return {bits, bits};
}

py::dict to_dict(const Info& info) {
  py::dict out;
  for (const auto& [name, value] : info) out[py::str(name)] = value;
  return out;
}

// An EnvSpec from Python's keywords, checked as an env's own would be.
EnvSpec make_spec(std::string name, int64_t code_length, int64_t group_size, int64_t batch_size, int64_t feature_dim,
                  int64_t rows_per_episode, const std::vector<std::string>& reward_terms, int64_t samples_per_state,
                  const std::string& device, bool reward_on_action, bool reward_differentiable) {
  for (const auto& [what, value] : {std::pair{"code_length", code_length}, std::pair{"group_size", group_size},
                                    std::pair{"batch_size", batch_size}, std::pair{"feature_dim", feature_dim},
                                    std::pair{"rows_per_episode", rows_per_episode},
                                    std::pair{"samples_per_state", samples_per_state}})
    if (value < 1) fail("EnvSpec {} must be at least 1, got {}", what, value);
  if (code_length > kMaxCodeLength) fail("EnvSpec code_length must be at most {}, got {}", kMaxCodeLength, code_length);
  if (code_length % group_size != 0)
    fail("EnvSpec code_length ({}) must be a multiple of group_size ({})", code_length, group_size);
  if (batch_size % samples_per_state != 0)
    fail("EnvSpec batch_size ({}) must be a multiple of samples_per_state ({})", batch_size, samples_per_state);
  EnvSpec spec;
  spec.name = std::move(name);
  spec.code_length = code_length;
  spec.group_size = group_size;
  spec.batch_size = batch_size;
  spec.feature_dim = feature_dim;
  spec.rows_per_episode = rows_per_episode;
  spec.samples_per_state = samples_per_state;
  spec.device = torch::Device(device);
  spec.reward_terms.clear();
  for (const auto& term : reward_terms) {
    if (term == "group") spec.reward_terms.push_back(RewardTerm::kGroup);
    else if (term == "global") spec.reward_terms.push_back(RewardTerm::kGlobal);
    else fail("EnvSpec reward_terms: unknown term '{}' (known: group, global)", term);
  }
  spec.reward_dependence = {reward_on_action, reward_differentiable, "the Python env's EnvSpec"};
  return spec;
}

}  // namespace

py::dict to_python(const LoadedData& loaded) {
  py::dict out;
  out["name"] = loaded.data.name;
  if (loaded.data.has_images()) out["images"] = loaded.data.images;
  else out["features"] = loaded.data.features;
  out["labels"] = loaded.data.labels;
  if (loaded.data.from_test_file.defined()) out["from_test_file"] = loaded.data.from_test_file;
  out["query"] = loaded.split.query;
  out["train"] = loaded.split.train;
  out["database"] = loaded.split.database;
  return out;
}

py::dict to_python(const Observation& obs) {
  py::dict out;
  out["features"] = obs.features;
  out["bits"] = obs.bits;
  out["step"] = obs.step;
  return out;
}

Observation to_observation(const py::handle& obs) {
  if (!py::isinstance<py::dict>(obs)) fail("an observation must be the dict that env.reset/step return");
  const auto dict = obs.cast<py::dict>();
  for (const char* key : {"features", "bits", "step"})
    if (!dict.contains(key)) fail("an observation dict needs '{}'", key);
  return {dict["features"].cast<torch::Tensor>(), dict["bits"].cast<torch::Tensor>(), dict["step"].cast<int64_t>()};
}

Env& EnvHandle::get() const {
  if (!env) fail("this env was closed");
  return *env;
}

void bind_env(py::module_& m) {
  py::class_<Box>(m, "Box", "A tensor of fixed shape, dtype and device, with values in [low, high].")
      .def_property_readonly("shape", [](const Box& b) { return shape_of(b.shape); })
      .def_property_readonly("dtype", [](const Box& b) { return to_python(b.dtype); })
      .def_property_readonly("device", [](const Box& b) { return to_python(b.device); })
      .def_readonly("low", &Box::low)
      .def_readonly("high", &Box::high)
      .def("contains", [](const Box& b, const py::handle& x) {
             // A plain number is a scalar of the box's dtype (obs["step"] is a Python int).
             if (py::isinstance<py::int_>(x) || py::isinstance<py::float_>(x)) {
               const double v = x.cast<double>();
               if (c10::isIntegralType(b.dtype, /*includeBool=*/true) && std::floor(v) != v) return false;
               return b.check_values(torch::scalar_tensor(v, torch::dtype(b.dtype).device(b.device))).empty();
             }
             if (!THPVariable_Check(x.ptr())) return false;
             return b.check_values(x.cast<torch::Tensor>()).empty();
           }, py::arg("x"), "whether x has the shape, dtype and device and every value in [low, high]")
      .def("sample", [](const Box& b) {
             const auto options = torch::TensorOptions().dtype(b.dtype).device(b.device);
             // The action space's bits: fair coins; a box of integers (obs["step"]): uniform over
             // low..high; any other box: uniform over [low, high].
             if ((b.low == 0 && b.high == 1) || c10::isIntegralType(b.dtype, /*includeBool=*/true))
               return torch::randint(static_cast<int64_t>(b.low), static_cast<int64_t>(b.high) + 1, b.shape, options);
             return torch::rand(b.shape, options) * (b.high - b.low) + b.low;
           }, "a random value (torch's global generator: torch.manual_seed makes it repeatable)")
      .def("__repr__", [](const Box& b) { return "Box(" + b.describe() + ")"; });
  py::class_<MultiBinary, Box>(m, "MultiBinary", "k binary decisions for each row: float values in {0, 1}.")
      .def("contains", [](const MultiBinary& b, const py::handle& x) {
             return THPVariable_Check(x.ptr()) && b.check_bits(x.cast<torch::Tensor>()).empty();
           }, py::arg("x"), "whether x has the shape, dtype and device and every value is 0 or 1");

  py::class_<EnvSpec>(m, "EnvSpec", "What an env looks like before any episode runs (env/spaces.h).")
      .def(py::init(&make_spec), py::kw_only(), py::arg("name"), py::arg("code_length"), py::arg("group_size"),
           py::arg("batch_size"), py::arg("feature_dim"), py::arg("rows_per_episode") = 1,
           py::arg("reward_terms") = std::vector<std::string>{"group", "global"}, py::arg("samples_per_state") = 1,
           py::arg("device") = "cpu", py::arg("reward_on_action") = true, py::arg("reward_differentiable") = true,
           "the spec of an env written in Python (hashrl.Env's subclass passes it to Env.__init__)")
      .def_readonly("name", &EnvSpec::name)
      .def_readonly("code_length", &EnvSpec::code_length, "q, the bits of a code")
      .def_readonly("group_size", &EnvSpec::group_size, "k, the bits of one action group (one step)")
      .def_readonly("batch_size", &EnvSpec::batch_size, "B episodes side by side")
      .def_readonly("rows_per_episode", &EnvSpec::rows_per_episode, "rows that act per episode (HashEnv: 3)")
      .def_readonly("feature_dim", &EnvSpec::feature_dim, "D, the width of the observed features")
      .def_property_readonly("device", [](const EnvSpec& s) { return to_python(s.device); })
      .def_property_readonly("num_steps", &EnvSpec::num_steps)
      .def_property_readonly("num_rows", &EnvSpec::num_rows)
      .def_property_readonly("reward_terms", [](const EnvSpec& s) {
        std::vector<std::string> terms;
        for (const auto term : s.reward_terms) terms.push_back(to_string(term));
        return terms;
      }, "the reward terms the env pays: 'group', 'global'")
      .def_readonly("samples_per_state", &EnvSpec::samples_per_state,
                    "K: consecutive episodes i K .. i K + K - 1 start from the same state")
      .def_property_readonly("reward_dependence", [](const EnvSpec& s) {
        const auto& d = s.reward_dependence;
        return py::dict(py::arg("on_action") = d.on_action, py::arg("differentiable") = d.differentiable,
                        py::arg("setting") = d.setting);
      }, "what the reward responds to: the sampled bits (on_action), the probs' gradient (differentiable)")
      .def_property_readonly("action_space", &EnvSpec::action_space)
      .def_property_readonly("observation_space", &EnvSpec::observation_space)
      .def("__repr__", &EnvSpec::describe);

  py::class_<EnvHandle>(m, "Env", R"(An environment, Gymnasium-style (env/env.h):

    obs, info = env.reset(seed=0)
    obs, reward, terminated, truncated, info = env.step(action)

obs is a dict: "features" [rows, D], "bits" [rows, q] and "step"; reward, terminated and truncated
are [B] tensors; an action is the bits [rows, k], a (bits, probs) pair or a dict. There is no
autoreset. Every tensor is shared with C++, not copied.

Subclass it to write an env in Python: pass an EnvSpec to Env.__init__ and define reset(seed),
step(action) and observe_features(items) (parameters() optionally); docs/python.md.)")
      .def(py::init([](EnvSpec spec) {
             auto handle = std::make_unique<EnvHandle>();  // on the heap: the env finds its owner by address
             handle->env = make_python_env(std::move(spec), handle.get());
             return handle;
           }), py::arg("spec"), "an env written in Python: its subclass defines reset, step and observe_features")
      .def("reset", [](EnvHandle& h, std::optional<int64_t> seed) {
             if (seed && *seed < 0) fail("reset: seed must be 0 or more, got {}", *seed);
             std::pair<Observation, Info> out;
             {
               py::gil_scoped_release release;
               out = h.get().reset(seed ? std::optional<uint64_t>(static_cast<uint64_t>(*seed)) : std::nullopt);
             }
             return py::make_tuple(to_python(out.first), to_dict(out.second));
           }, py::arg("seed") = py::none(), "a new batch of episodes; seed reseeds the env's sampler first")
      .def("step", [](EnvHandle& h, const py::handle& action) {
             const Action a = to_action(action);
             // Values too, as the C++ rollout does not (a host sync per step): bits in {0, 1},
             // probs finite in [0, 1] — NaN or 2.0 would otherwise reach the reward.
             // Shapes, dtypes and devices are the env's own check, with its own message.
             const auto space = h.get().spec().action_space();
             if (space.mismatch(a.bits).empty() && space.mismatch(a.probs).empty()) {
               if (const auto wrong = space.check_bits(a.bits); !wrong.empty())
                 fail("step: action bits do not fit {}: {}", space.describe(), wrong);
               if (const auto wrong = space.check_values(a.probs); !wrong.empty())
                 fail("step: action probs do not fit {}: {}", space.describe(), wrong);
             }
             StepResult r;
             {
               py::gil_scoped_release release;
               r = h.get().step(a);
             }
             auto info = to_dict(r.info);
             info["group_reward"] = r.group_reward;
             info["global_reward"] = r.global_reward;
             return py::make_tuple(to_python(r.observation), r.reward, r.terminated, r.truncated, info);
           }, py::arg("action"), "one action group; returns (obs, reward, terminated, truncated, info)")
      .def_property_readonly("spec", [](const EnvHandle& h) { return h.get().spec(); })
      .def_property_readonly("action_space", [](const EnvHandle& h) { return h.get().spec().action_space(); })
      .def_property_readonly("observation_space", [](const EnvHandle& h) { return h.get().spec().observation_space(); })
      .def("parameters", [](const EnvHandle& h) { return h.get().parameters(); },
           "the env's own trainable tensors (a trainable encoder's), shared: an optimiser may step them")
      .def("observe_features", [](EnvHandle& h, const torch::Tensor& items) {
             py::gil_scoped_release release;
             return h.get().observe_features(items);
           }, py::arg("items"), "the features the env would observe for raw items [N, ...], in eval mode, no autograd")
      .def("close", [](EnvHandle& h) {
             py::gil_scoped_release release;
             h.env.reset();
           }, "releases the env; any later call is an error")
      .def_property_readonly("closed", [](const EnvHandle& h) { return !h.env; })
      .def("__enter__", [](EnvHandle& h) -> EnvHandle& { return h; }, py::return_value_policy::reference)
      .def("__exit__", [](EnvHandle& h, const py::args&) { h.env.reset(); })
      .def("__repr__", [](const EnvHandle& h) {
        return h.env ? fmt::format("<hashrl.Env {}>", h.env->spec().name) : std::string("<hashrl.Env (closed)>");
      });

  m.def("make_env", [](const std::optional<std::string>& name, const py::object& config, const py::object& overrides) {
        const Config c = to_config(config, overrides);
        // The run-level values ([train], [eval], [optim]) are checked as `hashrl check-env` checks
        // them: a config make_env accepts does not fail at the start of a training.
        RunSettings::from_config(c);
        const std::string kind = name ? *name : env_kind(c);
        EnvHandle handle;
        {
          py::gil_scoped_release release;
          handle.env = make_env(kind, c);
        }
        c.check_all_used(kEnvSections);
        return handle;
      }, py::arg("name") = py::none(), py::arg("config") = py::none(), py::arg("overrides") = py::none(),
      R"(An env by its registered name ("HashEnv-v0"; None: the config's env.kind), built from the
config's [data], [env], [encoder], [reward] and [sampler] sections. config: an INI path, INI text
or a dict of "section.key" -> value; overrides: a dict applied on top, as --set does.)");

  m.def("env_names", [] { return env_registry().names(); }, "the registered env names");

  m.def("check_env", [](EnvHandle& h, uint64_t seed) {
        py::gil_scoped_release release;
        return check_env(h.get(), seed);
      }, py::arg("env"), py::arg("seed") = 0,
      "the conformance checks every env must pass (env/check_env.h); leaves the env after a finished episode");
  m.def("check_action_dependence", [](EnvHandle& h, uint64_t seed, int64_t draws) {
        py::gil_scoped_release release;
        return check_action_dependence(h.get(), seed, draws);
      }, py::arg("env"), py::arg("seed") = 0, py::arg("draws") = 4,
      "whether other bits drawn from the same probabilities, from one state, change the reward: what "
      "score-function learners need (env/check_env.h)");
}

}  // namespace hashrl::python
