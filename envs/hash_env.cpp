#include "hashrl/envs/hash_env.h"

#include <torch/torch.h>

#include <mutex>
#include <optional>

#include "hashrl/common/batches.h"
#include "hashrl/common/error.h"
#include "hashrl/common/run_seed.h"
#include "hashrl/encoders/feature_cache.h"
#include "hashrl/envs/env_registry.h"

namespace hashrl {
namespace {

// Runs with LibTorch's default generator of `device` seeded from `seed`, and puts its state back
// afterwards: a training encoder's dropout draws from that global generator, and reset(seed) must
// fix the episode (Gymnasium's contract) without moving what the agent and others draw next.
class ScopedGlobalSeed {
 public:
  ScopedGlobalSeed(uint64_t seed, const torch::Device& device)
      : generator_(at::globalContext().defaultGenerator(device)) {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    saved_ = generator_.get_state();
    generator_.set_current_seed(seed);
  }
  ~ScopedGlobalSeed() {
    std::lock_guard<std::mutex> lock(generator_.mutex());
    generator_.set_state(saved_);
  }
  ScopedGlobalSeed(const ScopedGlobalSeed&) = delete;
  ScopedGlobalSeed& operator=(const ScopedGlobalSeed&) = delete;

 private:
  at::Generator generator_;
  torch::Tensor saved_;
};

const HashEnvOptions kDefaults;
KeyTable own_keys;
const auto kCodeLength = own_keys.integer("code_length", kDefaults.code_length(), 1, kMaxCodeLength,
                                          "q, bits per code");
const auto kGroupSize = own_keys.integer("group_size", kDefaults.group_size(), 1, kMaxCodeLength,
                                         "k, bits per action group (per step); q must be a multiple");
const auto kBatchSize = own_keys.integer("batch_size", kDefaults.batch_size(), 1, kMaxBatchSize,
                                         "triplets drawn per reset (3 images each), one episode each");
const auto kSamplesPerState = own_keys.integer(
    "samples_per_state", kDefaults.samples_per_state(), 1, kMaxBatchSize,
    "K: episodes run from each triplet on the same features, for group-relative learners (batch_size x K "
    "episodes in all)");
// "auto" rather than the options' CPU: a config run uses CUDA where LibTorch has it.
const auto kDevice = own_keys.text("device", "auto", "cpu, cuda, cuda:N, or auto (CUDA where available)");
const auto kFeatureCacheDir = own_keys.text(
    "feature_cache_dir", kDefaults.feature_cache_dir(),
    "with a frozen encoder: folder caching the training split's features across runs (docs/encoder.md)");

// The [env] keys of HashEnv-v0 (docs/config.md): its own, then the augmentation's.
const KeyTable& hash_env_keys() {
  static const KeyTable table = [] {
    KeyTable t = own_keys;
    t.append(augment_keys());
    return t;
  }();
  return table;
}

}  // namespace

HashEnvOptions HashEnvOptions::from_config(const ConfigSection& s) {
  HashEnvOptions o;
  o.code_length(kCodeLength(s));
  o.group_size(kGroupSize(s));
  o.batch_size(kBatchSize(s));
  o.samples_per_state(kSamplesPerState(s));
  o.device(parse_device(kDevice(s)));
  o.feature_cache_dir(kFeatureCacheDir(s));
  o.augment(AugmentOptions::from_config(s));
  o.validate();
  return o;
}

void HashEnvOptions::validate() const {
  if (code_length_ < 1 || code_length_ > kMaxCodeLength)
    fail("env.code_length must be from 1 to {}, got {}", kMaxCodeLength, code_length_);
  if (group_size_ < 1) fail("env.group_size must be at least 1, got {}", group_size_);
  if (batch_size_ < 1 || batch_size_ > kMaxBatchSize)
    fail("env.batch_size must be from 1 to {}, got {}", kMaxBatchSize, batch_size_);
  if (samples_per_state_ < 1 || batch_size_ * samples_per_state_ > kMaxBatchSize)
    fail("env.samples_per_state must be at least 1 and env.batch_size x env.samples_per_state at most {}, got {} x {}",
         kMaxBatchSize, batch_size_, samples_per_state_);
  if (code_length_ % group_size_ != 0)
    fail("env.code_length ({}) must be a multiple of env.group_size ({})", code_length_, group_size_);
}

HashEnv::HashEnv(HashEnvOptions options, Dataset train, std::shared_ptr<Encoder> encoder,
                 std::shared_ptr<Reward> reward, std::unique_ptr<TripletSampler> sampler)
    : options_(std::move(options)),
      encoder_(std::move(encoder)),
      reward_(std::move(reward)),
      sampler_(std::move(sampler)),
      augment_(options_.augment(), options_.seed()) {
  options_.validate();
  train.validate();
  if (train.size() == 0) fail("HashEnv: the training split of '{}' is empty", train.name);
  const auto device = options_.device();
  train_ = std::move(train);
  if (train_.has_images()) train_.images = train_.images.to(device);
  else train_.features = train_.features.to(device);
  train_.labels = train_.labels.to(device);
  encoder_->to(device);
  spec_.code_length = options_.code_length();
  spec_.group_size = options_.group_size();
  spec_.name = kHashEnvName;
  spec_.batch_size = options_.batch_size() * options_.samples_per_state();
  spec_.samples_per_state = options_.samples_per_state();
  spec_.rows_per_episode = 3;  // anchors, then positives, then negatives
  const auto reads = reward_->reads();
  spec_.reward_dependence = {reads.bits, reads.probs, reads.setting};
  spec_.feature_dim = encoder_->output_dim();
  spec_.device = device;
  if (options_.augment().enabled() && !(train_.has_images() && encoder_->trainable()))
    fail("env.augment_shift / env.augment_flip need a trainable encoder over images: a frozen "
         "encoder's features are computed once, and precomputed features cannot be shifted");
  if (!encoder_->trainable()) {
    const auto& items = train_.items();
    train_features_ = cached_features(*encoder_, items, options_.feature_cache_dir(), 256, "encode training split",
                                      device).to(device);
  }
}

std::vector<torch::Tensor> HashEnv::parameters() const {
  return encoder_->trainable() ? encoder_->parameters() : std::vector<torch::Tensor>{};
}

torch::Tensor HashEnv::encode(const torch::Tensor& inputs) {
  if (!encoder_->trainable()) fail("{}: the encoder is frozen; its features are final", spec_.name);
  return encoder_->forward(inputs.to(spec_.device));
}

torch::Tensor HashEnv::observe_features(const torch::Tensor& items) {
  // The encoder may pass features through unchanged: what it is given must be items of this data.
  const auto& train = train_.items();
  if (!items.defined() || items.dim() != train.dim() || items.sizes().slice(1) != train.sizes().slice(1))
    fail("{}: observe_features takes items shaped like the data's, [N, {}], got {}", spec_.name,
         fmt::join(train.sizes().slice(1), ", "), items.defined() ? fmt::format("{}", items.sizes()) : "none");
  if (items.is_floating_point() && !torch::isfinite(items).all().item<bool>())
    fail("{}: observe_features was given items that are not finite (NaN or infinite values)", spec_.name);
  EvalModeGuard eval_mode(*encoder_);
  torch::NoGradGuard no_grad;
  return encoder_->forward(items.to(spec_.device));
}

void HashEnv::save(torch::serialize::OutputArchive& archive) const {
  torch::serialize::OutputArchive encoder;
  encoder_->save(encoder);
  archive.write("encoder", encoder);
  archive.write("sampler", c10::IValue(sampler_->state()));
  archive.write("augment_rng", augment_.state());
}

void HashEnv::load(torch::serialize::InputArchive& archive) {
  torch::serialize::InputArchive encoder;
  archive.read("encoder", encoder);
  encoder_->load(encoder);
  c10::IValue sampler;
  archive.read("sampler", sampler);
  sampler_->set_state(sampler.toStringRef());
  // Checkpoints from before augmentation existed have no generator state; they never used it.
  torch::Tensor augment_rng;
  if (archive.try_read("augment_rng", augment_rng)) augment_.set_state(augment_rng);
}

std::pair<Observation, Info> HashEnv::reset(std::optional<uint64_t> seed) {
  if (seed) {
    sampler_->seed(*seed);
    augment_.seed(*seed);
  }
  triplets_ = sampler_->sample(options_.batch_size());
  const auto rows = torch::cat({triplets_.anchor, triplets_.positive, triplets_.negative}).to(spec_.device);
  inputs_ = torch::Tensor();
  if (train_features_.defined()) {
    features_ = train_features_.index_select(0, rows);
  } else {
    auto items = train_.items().index_select(0, rows);
    if (options_.augment().enabled()) items = augment_(items);
    std::optional<ScopedGlobalSeed> seeded;
    if (seed) seeded.emplace(*seed, spec_.device);
    features_ = encoder_->forward(items);
    if (encoder_->trainable()) inputs_ = items;
  }
  labels_ = train_.labels.index_select(0, rows);
  Info info{{"anchor", triplets_.anchor}, {"positive", triplets_.positive}, {"negative", triplets_.negative}};
  if (const int64_t k = options_.samples_per_state(); k > 1) {
    // Each image's row repeated K times within its block: episode i * K + s runs triplet i. The
    // encoder ran once; the copies share its autograd graph.
    const auto repeated = torch::arange(rows.size(0), rows.options()).view({3, -1}).repeat_interleave(k, 1).flatten();
    features_ = features_.index_select(0, repeated);
    labels_ = labels_.index_select(0, repeated);
    if (inputs_.defined()) inputs_ = inputs_.index_select(0, repeated);
    for (auto& [name, ids] : info) ids = ids.repeat_interleave(k);
  }
  if (features_.size(1) != spec_.feature_dim)
    fail("encoder produced {} features, its output_dim says {}", features_.size(1), spec_.feature_dim);
  bits_ = torch::zeros({spec_.num_rows(), spec_.code_length},
                       torch::TensorOptions().dtype(torch::kFloat32).device(spec_.device));
  group_probs_.clear();
  step_ = 0;
  started_ = true;
  return {Observation{features_, bits_, 0}, info};
}

void HashEnv::check_action(const Action& action) const {
  const auto space = spec_.action_space();
  for (const auto& [name, t] : {std::pair{"bits", action.bits}, std::pair{"probs", action.probs}}) {
    const std::string wrong = space.mismatch(t);
    if (!wrong.empty()) fail("{}::step: action.{} does not fit {}: {}", spec_.name, name, space.describe(), wrong);
  }
}

StepResult HashEnv::step(const Action& action) {
  if (!started_) fail("HashEnv::step called before reset()");
  if (step_ >= spec_.num_steps())
    fail("HashEnv::step called after the episode ended (step {} of {}); call reset() (there is no autoreset)",
         step_ + 1, spec_.num_steps());
  check_action(action);
  const int64_t k = spec_.group_size, begin = step_ * k;
  bits_ = with_group_bits(bits_, action.bits, step_);
  group_probs_.push_back(action.probs);
  ++step_;
  const bool last = step_ == spec_.num_steps();

  RewardInput input;
  input.group = {action.probs, action.bits};
  input.emitted = {torch::cat(group_probs_, 1), bits_.slice(1, 0, begin + k)};
  input.step = step_ - 1;
  input.num_steps = spec_.num_steps();
  input.labels = labels_;
  const auto group = reward_->group_reward(input);
  const auto global = last ? reward_->global_reward(input) : torch::zeros_like(group);

  const auto flags = torch::TensorOptions().dtype(torch::kBool).device(spec_.device);
  StepResult result;
  result.observation = Observation{features_, bits_, step_};
  result.reward = group + global;
  result.group_reward = group;
  result.global_reward = global;
  result.terminated = torch::full({spec_.batch_size}, last, flags);
  result.truncated = torch::zeros({spec_.batch_size}, flags);
  return result;
}

void register_hash_env(EnvRegistry& registry) {
  registry.add(kHashEnvName, [](const Config& config, const LoadedData& data) -> std::unique_ptr<Env> {
    // [train] seed (common/run_seed.h) seeds the env's draws too.
    const auto seed = run_seed(config);
    const auto options = HashEnvOptions::from_config(ConfigSection(config, "env")).seed(seed);
    auto train = data.data.subset(data.split.train);
    auto encoder = make_encoder(ConfigSection(config, "encoder"), EncoderInput::of(train));
    auto reward = make_reward(ConfigSection(config, "reward"));
    auto sampler = make_triplet_sampler(ConfigSection(config, "sampler"), train.labels, seed);
    return std::make_unique<HashEnv>(options, std::move(train), std::move(encoder), std::move(reward),
                                     std::move(sampler));
  }, "the DRLIH MDP over triplets of the training split", &hash_env_keys());
}

}  // namespace hashrl
