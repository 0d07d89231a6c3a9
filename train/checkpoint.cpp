#include "hashrl/train/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <sstream>
#include <sys/stat.h>

#include "hashrl/common/error.h"
#include "hashrl/common/file_error.h"
#include "hashrl/common/files.h"

namespace hashrl {
namespace {

// What encoding needs, shared by checkpoints and weights_bytes.
void write_weights(torch::serialize::OutputArchive& root, Agent& agent, const Env& env) {
  torch::serialize::OutputArchive agent_archive, env_archive;
  agent.module().save(agent_archive);
  env.save(env_archive);
  root.write("agent", agent_archive);
  root.write("env", env_archive);
}

void read_weights(torch::serialize::InputArchive& root, Agent& agent, Env& env) {
  torch::serialize::InputArchive agent_archive, env_archive;
  root.read("agent", agent_archive);
  root.read("env", env_archive);
  agent.module().load(agent_archive);
  env.load(env_archive);
}

}  // namespace

void save_checkpoint(const std::string& path, Agent& agent, const Env& env, Learner& learner,
                     torch::optim::Optimizer& optimizer, RunProgress progress) {
  torch::serialize::OutputArchive root, learner_archive, optimizer_archive;
  write_weights(root, agent, env);
  learner.save(learner_archive);
  root.write("learner", learner_archive);
  optimizer.save(optimizer_archive);
  root.write("optimizer", optimizer_archive);
  root.write("step", c10::IValue(progress.step));
  root.write("train_seconds", c10::IValue(progress.train_seconds));
  root.write("torch_rng", at::detail::getDefaultCPUGenerator().get_state());
  std::ostringstream bytes;
  root.save_to(bytes);
  write_file_atomic(path, bytes.str());
}

namespace {

void require_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail_file("checkpoint '{}' does not exist", path);
}

[[noreturn]] void unloadable(const std::string& path, const c10::Error& e) {
  fail("checkpoint '{}' cannot be loaded (truncated, or written for another config?): {}", path,
       e.what_without_backtrace());
}

}  // namespace

void load_weights(const std::string& path, Agent& agent, Env& env) {
  require_file(path);
  try {
    torch::serialize::InputArchive root;
    root.load_from(path);
    read_weights(root, agent, env);
  } catch (const c10::Error& e) {
    unloadable(path, e);
  }
}

std::string weights_bytes(Agent& agent, const Env& env) {
  torch::serialize::OutputArchive root;
  write_weights(root, agent, env);
  std::ostringstream bytes;
  root.save_to(bytes);
  return bytes.str();
}

void load_weights_bytes(const std::string& bytes, Agent& agent, Env& env) {
  torch::serialize::InputArchive root;
  root.load_from(bytes.data(), bytes.size());
  read_weights(root, agent, env);
}

RunProgress load_checkpoint(const std::string& path, Agent& agent, Env& env, Learner& learner,
                            torch::optim::Optimizer& optimizer) {
  require_file(path);
  try {
    torch::serialize::InputArchive root, learner_archive, optimizer_archive;
    root.load_from(path);
    read_weights(root, agent, env);
    root.read("learner", learner_archive);
    root.read("optimizer", optimizer_archive);
    learner.load(learner_archive);
    optimizer.load(optimizer_archive);
    c10::IValue step;
    root.read("step", step);
    torch::Tensor rng;
    root.read("torch_rng", rng);
    auto generator = at::detail::getDefaultCPUGenerator();
    generator.set_state(rng);
    c10::IValue seconds(0.0);  // absent from checkpoints written before it was recorded
    root.try_read("train_seconds", seconds);
    return {step.toInt(), seconds.toDouble()};
  } catch (const c10::Error& e) {
    unloadable(path, e);
  }
}

}  // namespace hashrl
