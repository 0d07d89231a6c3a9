// Rewards and agents written in Python: they derive from hashrl.Reward / hashrl.Agent, register
// into the same registries as the C++ ones, and are picked by name in a config; the conformance
// checks run on them as on any other.
#include <pybind11/stl.h>

#include <fmt/format.h>

#include "bindings.h"
#include "hashrl/agents/agent.h"
#include "hashrl/agents/classic/hasher.h"
#include "hashrl/common/error.h"
#include "hashrl/learners/learner.h"
#include "hashrl/rewards/check_reward.h"
#include "hashrl/testing/conformance.h"
#include "py_env.h"

namespace hashrl::python {

namespace {

// The C++ side of a Python reward: each call goes to the Python method of the same name.
class PyReward : public Reward {
 public:
  torch::Tensor group_reward(const RewardInput& input) const override {
    PYBIND11_OVERRIDE_PURE(torch::Tensor, Reward, group_reward, input);
  }
  torch::Tensor global_reward(const RewardInput& input) const override {
    PYBIND11_OVERRIDE_PURE(torch::Tensor, Reward, global_reward, input);
  }
  // A Python reward may define reads() returning {"bits": bool, "probs": bool}; without it, both.
  RewardReads reads() const override {
    py::gil_scoped_acquire gil;
    const auto override = py::get_override(static_cast<const Reward*>(this), "reads");
    if (!override) return Reward::reads();
    const py::object out = override();
    if (!py::isinstance<py::dict>(out))
      fail("Reward.reads must return a dict {{\"bits\": bool, \"probs\": bool}}, got a {}", type_name(out));
    const auto d = out.cast<py::dict>();
    RewardReads reads;
    reads.bits = d.contains("bits") ? d["bits"].cast<bool>() : true;
    reads.probs = d.contains("probs") ? d["probs"].cast<bool>() : true;
    reads.setting = "the Python reward's reads()";
    return reads;
  }
};

// A torch::nn::Module whose parameters and buffers are a Python torch.nn.Module's, the same
// tensors (so a C++ optimiser steps them and a checkpoint saves them under their Python names);
// train()/eval() are passed on to the Python module.
class MirroredModule : public torch::nn::Module {
 public:
  explicit MirroredModule(py::object module) : module_(std::move(module)) {
    mirror(module_, *this);
  }
  void train(bool on) override {
    torch::nn::Module::train(on);
    py::gil_scoped_acquire gil;
    module_.attr("train")(on);
  }
  const py::object& python_module() const { return module_; }

 private:
  static void mirror(const py::handle& from, torch::nn::Module& to) {
    for (const auto& item : from.attr("named_parameters")(py::arg("recurse") = false)) {
      const auto pair = item.cast<py::tuple>();
      const auto tensor = pair[1].cast<torch::Tensor>();
      to.register_parameter(pair[0].cast<std::string>(), tensor, tensor.requires_grad());
    }
    for (const auto& item : from.attr("named_buffers")(py::arg("recurse") = false)) {
      const auto pair = item.cast<py::tuple>();
      to.register_buffer(pair[0].cast<std::string>(), pair[1].cast<torch::Tensor>());
    }
    for (const auto& item : from.attr("named_children")()) {
      const auto pair = item.cast<py::tuple>();
      auto child = std::make_shared<torch::nn::Module>();
      mirror(pair[1], *child);
      to.register_module(pair[0].cast<std::string>(), child);
    }
  }
  py::object module_;
};

// The C++ module mirroring what a Python component's module() returns; nullptr for None. Rebuilt
// only when module() returns another object.
torch::nn::Module* mirror_of(const py::object& module, std::shared_ptr<MirroredModule>& cache) {
  if (module.is_none()) return nullptr;
  if (!cache || !cache->python_module().is(module)) cache = std::make_shared<MirroredModule>(module);
  return cache.get();
}

// The C++ side of a Python agent. Its act() returns (hashrl.AgentStep, state); its module() a
// torch.nn.Module holding every parameter (or None when it has none).
class PyAgent : public Agent {
 public:
  RecurrentState initial_state(const Observation& obs) override {
    py::gil_scoped_acquire gil;
    if (const auto override = py::get_override(static_cast<const Agent*>(this), "initial_state")) {
      const py::object state = override(to_python(obs));
      return state.is_none() ? RecurrentState{} : state.cast<RecurrentState>();
    }
    return {};
  }

  std::pair<AgentStep, RecurrentState> act(const Observation& obs, const RecurrentState& state,
                                           ActMode mode) override {
    py::gil_scoped_acquire gil;
    const auto override = py::get_override(static_cast<const Agent*>(this), "act");
    if (!override) fail("a hashrl.Agent subclass must define act(obs, state, mode)");
    const py::object out = override(to_python(obs), state, mode);
    if (!py::isinstance<py::tuple>(out) || py::len(out) != 2 || !py::isinstance<AgentStep>(out[py::int_(0)]))
      fail("Agent.act must return (hashrl.AgentStep, state), got a {}", type_name(out));
    const auto pair = out.cast<py::tuple>();
    return {pair[0].cast<AgentStep>(), pair[1].is_none() ? RecurrentState{} : pair[1].cast<RecurrentState>()};
  }

  torch::nn::Module& module() override {
    py::gil_scoped_acquire gil;
    py::object module = py::none();
    if (const auto override = py::get_override(static_cast<const Agent*>(this), "module")) module = override();
    if (auto* mirrored = mirror_of(module, mirrored_)) return *mirrored;
    if (!empty_) empty_ = std::make_shared<torch::nn::Module>();
    return *empty_;
  }

  std::vector<AgentStep> evaluate(const std::vector<Observation>& observations, const std::vector<Action>& actions,
                                  RecurrentState state) override {
    {
      py::gil_scoped_acquire gil;
      if (const auto override = py::get_override(static_cast<const Agent*>(this), "evaluate")) {
        py::list obs, bits;
        for (const auto& o : observations) obs.append(to_python(o));
        for (const auto& a : actions) bits.append(a.bits);
        return override(obs, bits, state).cast<std::vector<AgentStep>>();
      }
    }
    return Agent::evaluate(observations, actions, std::move(state));
  }

  std::string default_learner() const override { PYBIND11_OVERRIDE(std::string, Agent, default_learner); }
  ActMode training_mode() const override { PYBIND11_OVERRIDE(ActMode, Agent, training_mode); }

 private:
  std::shared_ptr<MirroredModule> mirrored_;
  std::shared_ptr<torch::nn::Module> empty_;
};

// The C++ side of a Python learner: loss(trajectory) returns the loss, or (loss, {name: term}).
class PyLearner : public Learner {
 public:
  LossTerms loss(const Trajectory& trajectory) override {
    py::gil_scoped_acquire gil;
    const auto override = py::get_override(static_cast<const Learner*>(this), "loss");
    if (!override) fail("a hashrl.Learner subclass must define loss(trajectory)");
    const py::object out = override(trajectory);
    LossTerms terms;
    if (py::isinstance<py::tuple>(out) && py::len(out) == 2) {
      terms.loss = out[py::int_(0)].cast<torch::Tensor>();
      for (const auto& [name, value] : out[py::int_(1)].cast<py::dict>())
        terms.terms[py::str(name).cast<std::string>()] = value.cast<torch::Tensor>().detach();
    } else if (THPVariable_Check(out.ptr())) {
      terms.loss = out.cast<torch::Tensor>();
    } else {
      fail("Learner.loss must return a loss tensor or (loss, {{name: term}}), got a {}", type_name(out));
    }
    return terms;
  }

  int64_t episodes_per_update() const override { PYBIND11_OVERRIDE(int64_t, Learner, episodes_per_update); }

  UpdateResult update(const std::vector<Trajectory>& buffer, UpdateContext& context) override {
    {
      py::gil_scoped_acquire gil;
      if (const auto override = py::get_override(static_cast<const Learner*>(this), "update")) {
        const py::object out = override(buffer, py::cast(&context, py::return_value_policy::reference));
        if (py::isinstance<UpdateResult>(out)) return out.cast<UpdateResult>();
        // The older form, kept working: a dict whose "loss" and "grad_norm" keys are the result's.
        if (!py::isinstance<py::dict>(out))
          fail("Learner.update must return a hashrl.UpdateResult (or a dict of logged figures), got a {}",
               type_name(out));
        UpdateResult result;
        for (const auto& [key, value] : out.cast<py::dict>()) {
          const auto name = py::str(key).cast<std::string>();
          const double number = value.cast<double>();
          if (name == "loss") result.loss = number;
          else if (name == "grad_norm") result.grad_norm = number;
          else result.terms[name] = number;
        }
        return result;
      }
    }
    return Learner::update(buffer, context);
  }

  torch::nn::Module* module() override {
    py::gil_scoped_acquire gil;
    py::object module = py::none();
    if (const auto override = py::get_override(static_cast<const Learner*>(this), "module")) module = override();
    return mirror_of(module, mirrored_);
  }

 private:
  std::shared_ptr<MirroredModule> mirrored_;
};

// Calls a registered Python factory with `section` of `config` lent to it (and `extra`, the
// spec), and checks that it made a T: "the factory of reward 'x' returned a int, not a hashrl.Reward".
template <class T, class... Extra>
std::shared_ptr<T> call_python_factory(const py::object& factory, const char* what, const char* python_class,
                                       const std::string& name, const Config& config, const std::string& section,
                                       const Extra&... extra) {
  py::gil_scoped_acquire gil;
  const LentConfig lent(config, section);
  py::object made = factory(lent.view(), extra...);
  if (!py::isinstance<T>(made))
    fail("the factory of {} '{}' returned a {}, not a hashrl.{}", what, name, type_name(made), python_class);
  return hold<T>(std::move(made));
}

// hashrl.Reward (subclassed in Python), its inputs, register/make/check_reward.
void bind_rewards(py::module_& m) {
  py::class_<Codes>(m, "Codes", "Relaxed and binary codes of the 3B images of a batch, [3B, m] each.")
      .def_readonly("probs", &Codes::probs, "P(bit = 1), with autograd history")
      .def_readonly("bits", &Codes::bits, "the emitted bits in {0, 1}");
  py::class_<RewardInput>(m, "RewardInput", "What a reward scores (rewards/reward.h).")
      .def_readonly("group", &RewardInput::group, "this step's action group, m = k")
      .def_readonly("emitted", &RewardInput::emitted, "every bit emitted so far, m = (step + 1) k")
      .def_readonly("step", &RewardInput::step, "0-based index of the action group")
      .def_readonly("num_steps", &RewardInput::num_steps)
      .def_readonly("labels", &RewardInput::labels, "multi-hot uint8 [3B, L]");

  py::class_<Reward, PyReward, std::shared_ptr<Reward>>(m, "Reward", R"(A reward over a batch of B triplets, whose 3B
rows are [anchors; positives; negatives]. Derive, define group_reward(input) and
global_reward(input) (each a float tensor [B]) and register a factory with register_reward.)")
      .def(py::init<>())
      .def("group_reward", &Reward::group_reward, py::arg("input"), py::call_guard<py::gil_scoped_release>())
      .def("global_reward", &Reward::global_reward, py::arg("input"), py::call_guard<py::gil_scoped_release>())
      .def("reads", [](const Reward& r) {
        const auto reads = r.reads();
        return py::dict(py::arg("bits") = reads.bits, py::arg("probs") = reads.probs, py::arg("setting") = reads.setting);
      }, "what the reward reads: the emitted bits (its value changes with the action), the relaxed codes (it "
         "carries their gradient); a subclass may define it, else both are assumed");

  m.def("register_reward", [](const std::string& name, py::object factory, const std::string& summary, bool replace) {
        auto* held = new py::object(std::move(factory));  // for the life of the registry
        add_python_factory(reward_registry(), name, [held, name](const ConfigSection& section) {
          return call_python_factory<Reward>(*held, "reward", "Reward", name, section.config(), section.name());
        }, summary, replace);
      }, py::arg("name"), py::arg("factory"), py::arg("summary") = "", py::arg("replace") = false,
      "Makes `reward.kind = name` build factory(section), section being the config's [reward].");

  m.def("make_reward", [](const py::object& config, const py::object& overrides) {
        const Config c = to_config(config, overrides);
        auto reward = make_reward(ConfigSection(c, "reward"));
        c.check_all_used({"reward"});
        return reward;
      }, py::arg("config") = py::none(), py::arg("overrides") = py::none(),
      "The reward the config's [reward] section describes (a registered name: C++ or Python).");
  m.def("reward_names", [] { return reward_registry().names(); });
  m.def("check_reward", [](const Reward& reward, int64_t batch, int64_t bits, uint64_t seed) {
        py::gil_scoped_release release;
        return check_reward(reward, batch, bits, seed);
      }, py::arg("reward"), py::arg("batch") = 8, py::arg("bits") = 12, py::arg("seed") = 0,
      "the conformance checks of a reward (testing/conformance.h)");
}

// hashrl.Agent and AgentStep, register/make/check_agent.
void bind_agents(py::module_& m) {
  py::enum_<ActMode>(m, "ActMode", "SAMPLE draws each bit from Bernoulli(p); GREEDY thresholds at 0.5")
      .value("SAMPLE", ActMode::kSample)
      .value("GREEDY", ActMode::kGreedy);

  py::class_<AgentStep>(m, "AgentStep", "One action group of every row, with its log-probability and entropy.")
      .def(py::init([](torch::Tensor bits, torch::Tensor probs, torch::Tensor log_prob, torch::Tensor entropy) {
             return AgentStep{Action{std::move(bits), std::move(probs)}, std::move(log_prob), std::move(entropy)};
           }), py::arg("bits"), py::arg("probs"), py::arg("log_prob"), py::arg("entropy"))
      .def_property_readonly("bits", [](const AgentStep& s) { return s.action.bits; }, "float [rows, k] in {0, 1}")
      .def_property_readonly("probs", [](const AgentStep& s) { return s.action.probs; }, "P(bit = 1), [rows, k]")
      .def_readonly("log_prob", &AgentStep::log_prob, "[rows]: log P(bits), summed over the group")
      .def_readonly("entropy", &AgentStep::entropy, "[rows]: entropy of the group's bits");

  py::class_<Agent, PyAgent, std::shared_ptr<Agent>>(m, "Agent", R"(An agent acting in an env. Derive and define:
  act(obs, state, mode) -> (hashrl.AgentStep, new_state)   obs as env.step returns it
  initial_state(obs) -> list of tensors (default: [])
  evaluate(observations, bits, state) -> [AgentStep]  (default: act() on the stored observations)
  module() -> torch.nn.Module holding every parameter (default: None)
  default_learner() -> str (default: "reinforce")
Register a factory with register_agent; the C++ Trainer then trains it when agent.kind names it.)")
      .def(py::init<>())
      .def("initial_state", [](Agent& a, const py::handle& obs) { return a.initial_state(to_observation(obs)); },
           py::arg("obs"))
      .def("act", [](Agent& a, const py::handle& obs, const RecurrentState& state, ActMode mode) {
             const auto o = to_observation(obs);
             std::pair<AgentStep, RecurrentState> out;
             {
               py::gil_scoped_release release;
               out = a.act(o, state, mode);
             }
             return py::make_tuple(out.first, out.second);
           }, py::arg("obs"), py::arg("state"), py::arg("mode") = ActMode::kSample)
      .def("evaluate", [](Agent& a, const py::list& observations, const std::vector<torch::Tensor>& bits,
                          const RecurrentState& state) {
             std::vector<Observation> obs;
             for (const auto& o : observations) obs.push_back(to_observation(o));
             std::vector<Action> actions;
             for (const auto& b : bits) actions.push_back(Action{b, b});
             py::gil_scoped_release release;
             return a.evaluate(obs, actions, state);
           }, py::arg("observations"), py::arg("bits"), py::arg("state"),
           R"(Stored actions scored under the current parameters, teacher-forced: one AgentStep per step
(the stored bits, the current probs, log_prob and entropy). The default runs act() greedily on
each stored observation; override it when the agent's state carries bits it drew itself.)")
      .def("parameters", [](Agent& a) { return a.module().parameters(); }, "the tensors the agent trains, shared")
      .def("default_learner", &Agent::default_learner)
      .def("training_mode", &Agent::training_mode);

  m.def("register_agent", [](const std::string& name, py::object factory, const std::string& summary, bool replace) {
        auto* held = new py::object(std::move(factory));  // for the life of the registry
        add_python_factory(agent_registry(), name, [held, name](const Config& config, const EnvSpec& spec) {
          return call_python_factory<Agent>(*held, "agent", "Agent", name, config, "agent", spec);
        }, summary, replace);
      }, py::arg("name"), py::arg("factory"), py::arg("summary") = "", py::arg("replace") = false,
      "Makes `agent.kind = name` build factory(section, spec): the config's [agent] and the env's spec.");

  m.def("make_agent", [](const py::object& config, const EnvSpec& spec, const py::object& overrides) {
        const Config c = to_config(config, overrides);
        auto agent = make_agent(c, spec);
        c.check_all_used({"agent", "policy"});
        return agent;
      }, py::arg("config"), py::arg("spec"), py::arg("overrides") = py::none(),
      "The agent the config's [agent] (and [policy]) describe, for an env of this spec.");
  m.def("agent_names", [] {
    auto names = agent_registry().names();
    for (const auto& hasher : hasher_registry().names()) names.push_back(hasher);
    return names;
  }, "the registered agents, the classic hashers among them");
}

// hashrl.Learner, Trajectory, UpdateContext, rollout, register/make/check_learner.
void bind_learners(py::module_& m) {
  py::class_<Trajectory>(m, "Trajectory", R"(One batched episode of an agent in an env (rollout/rollout.h): rows
r * B + i belong to episode i.)")
      .def_readonly("batch_size", &Trajectory::batch_size, "B episodes")
      .def_readonly("rows_per_episode", &Trajectory::rows_per_episode)
      .def_readonly("features", &Trajectory::features, "the observed features [rows, D]")
      .def_property_readonly("observations", [](const Trajectory& t) {
        py::list out;
        for (const auto& o : t.observations) out.append(to_python(o));
        return out;
      }, "what each step acted on (the dicts env.step returns)")
      .def_readonly("steps", &Trajectory::steps, "one AgentStep per action group")
      .def_readonly("rewards", &Trajectory::rewards, "[B] per step: group + global")
      .def_readonly("group_rewards", &Trajectory::group_rewards)
      .def_readonly("global_rewards", &Trajectory::global_rewards)
      .def_readonly("bits", &Trajectory::bits, "the final codes [rows, q]")
      .def_readonly("probs", &Trajectory::probs, "the relaxed codes [rows, q], with autograd history")
      .def("total_reward", &Trajectory::total_reward, "sum over steps of the reward, [B]");

  py::class_<UpdateResult>(m, "UpdateResult", R"(What a learner's update() returns: logged in metrics.jsonl as
"loss", "grad_norm" and one entry per term.)")
      .def(py::init([](double loss, double grad_norm, const std::map<std::string, double>& terms) {
             return UpdateResult{loss, grad_norm, terms};
           }),
           py::arg("loss") = 0.0, py::arg("grad_norm") = 0.0, py::arg("terms") = std::map<std::string, double>())
      .def_readwrite("loss", &UpdateResult::loss, "the loss of the last optimiser step")
      .def_readwrite("grad_norm", &UpdateResult::grad_norm, "the gradient norm of the last step, before clipping")
      .def_readwrite("terms", &UpdateResult::terms, "anything else to log, by name");

  py::class_<UpdateContext>(m, "UpdateContext", "What a learner's update works with; the trainer provides it.")
      .def_property_readonly("agent", [](UpdateContext& c) -> Agent& { return c.agent(); },
                             py::return_value_policy::reference, "the agent being trained")
      .def("optimizer_step", [](UpdateContext& c, const torch::Tensor& loss, const py::dict& terms) {
             LossTerms t{loss, {}};
             for (const auto& [name, value] : terms) t.terms[py::str(name).cast<std::string>()] = value.cast<torch::Tensor>();
             py::gil_scoped_release release;  // backward runs on LibTorch's engine, which wants the GIL free
             return c.optimizer_step(t);
           }, py::arg("loss"), py::arg("terms") = py::dict(),
           R"(One optimiser step on `loss` over every trainable parameter, clipped as the config says;
raises when anything is not finite. Returns the gradient norm before clipping.)");

  py::class_<Learner, PyLearner, std::shared_ptr<Learner>>(m, "Learner", R"(A learner turns rollouts into updates. Derive and
define either loss(trajectory) -> loss or (loss, {name: detached term}), for one optimiser step per
rollout; or update(buffer, context) -> UpdateResult(loss, grad_norm, {name: figure}) with
episodes_per_update() -> N, to take as many steps as it likes (context.optimizer_step(loss)) on
a buffer of N rollouts. Optionally module() -> torch.nn.Module of its own parameters (a critic;
trained and checkpointed with the agent). Register a factory with register_learner.)")
      .def(py::init<>())
      .def("episodes_per_update", &Learner::episodes_per_update)
      .def("loss", [](Learner& l, const Trajectory& t) {
             LossTerms out;
             {
               py::gil_scoped_release release;
               out = l.loss(t);
             }
             return py::make_tuple(out.loss, out.terms);
           }, py::arg("trajectory"));

  m.def("register_learner", [](const std::string& name, py::object factory, const std::string& summary, bool replace) {
        auto* held = new py::object(std::move(factory));  // for the life of the registry
        add_python_factory(learner_registry(), name, [held, name](const ConfigSection& section, const EnvSpec& spec) {
          return call_python_factory<Learner>(*held, "learner", "Learner", name, section.config(), section.name(),
                                              spec);
        }, summary, replace);
      }, py::arg("name"), py::arg("factory"), py::arg("summary") = "", py::arg("replace") = false,
      "Makes `learner.kind = name` build factory(section, spec): the config's [learner] and the env's spec.");
  m.def("make_learner", [](const py::object& config, const EnvSpec& spec, const std::string& fallback,
                           const py::object& overrides) {
        const Config c = to_config(config, overrides);
        auto learner = make_learner(ConfigSection(c, "learner"), fallback, spec);
        c.check_all_used({"learner"});
        return learner;
      }, py::arg("config"), py::arg("spec"), py::arg("fallback") = "reinforce", py::arg("overrides") = py::none(),
      "The learner the config's [learner] names (`fallback`, an agent's default_learner(), when unset).");
  m.def("learner_names", [] { return learner_registry().names(); });
  m.def("rollout", [](EnvHandle& env, Agent& agent, ActMode mode, std::optional<uint64_t> seed) {
        py::gil_scoped_release release;
        return rollout(env.get(), agent, mode, seed);
      }, py::arg("env"), py::arg("agent"), py::arg("mode") = ActMode::kSample, py::arg("seed") = py::none(),
      "one batched episode of the agent in the env: what a learner's loss() gets");
  m.def("check_learner", [](Learner& learner, Agent& agent, EnvHandle& env, uint64_t seed) {
        py::gil_scoped_release release;
        return check_learner(learner, agent, env.get(), seed);
      }, py::arg("learner"), py::arg("agent"), py::arg("env"), py::arg("seed") = 0,
      "the conformance checks of a learner on one rollout of the agent (testing/conformance.h)");
  m.def("check_agent", [](Agent& agent, EnvHandle& env, uint64_t seed, int64_t draws) {
        py::gil_scoped_release release;
        return check_agent(agent, env.get(), seed, draws);
      }, py::arg("agent"), py::arg("env"), py::arg("seed") = 0, py::arg("draws") = 4000,
      "the conformance checks of an agent in an env it fits (testing/conformance.h)");
}

}  // namespace

void bind_components(py::module_& m) {
  py::class_<CheckReport>(m, "CheckReport", "What a conformance check found: the checks passed and the ones failed.")
      .def_readonly("name", &CheckReport::name)
      .def_readonly("passed", &CheckReport::passed)
      .def_readonly("failed", &CheckReport::failed)
      .def_property_readonly("ok", &CheckReport::ok)
      .def("summary", &CheckReport::summary)
      .def("__bool__", &CheckReport::ok)
      .def("__repr__", &CheckReport::summary);

  bind_rewards(m);
  bind_agents(m);
  bind_learners(m);
}

}  // namespace hashrl::python
