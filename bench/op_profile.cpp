#include "op_profile.h"

#include <fmt/format.h>
#include <torch/csrc/autograd/profiler_legacy.h>

#include <algorithm>
#include <map>

namespace hashrl::bench {

namespace profiler = torch::autograd::profiler;

std::vector<OpTime> profile_ops(const std::function<void()>& work) {
  using torch::profiler::impl::ProfilerConfig;
  using torch::profiler::impl::ProfilerState;
  // Input shapes are what the FLOP count reads.
  profiler::enableProfilerLegacy(ProfilerConfig(ProfilerState::CPU, /*report_input_shapes=*/true,
                                                /*profile_memory=*/false, /*with_stack=*/false, /*with_flops=*/true));
  try {
    work();
  } catch (...) {
    profiler::disableProfilerLegacy();
    throw;
  }
  auto threads = profiler::disableProfilerLegacy();

  // Events come as push/pop pairs, nested within each thread: an operator's self time is its span
  // less its children's spans.
  struct Open {
    profiler::LegacyEvent* push;
    double children_us;
  };
  std::map<std::string, OpTime> by_name;
  for (auto& events : threads) {
    std::vector<Open> stack;
    for (auto& event : events) {
      if (event.kind() == profiler::EventKind::PushRange) {
        stack.push_back({&event, 0});
      } else if (event.kind() == profiler::EventKind::PopRange && !stack.empty()) {
        const Open open = stack.back();
        stack.pop_back();
        const double span = open.push->cpuElapsedUs(event);
        if (!stack.empty()) stack.back().children_us += span;
        auto& op = by_name[open.push->name()];
        op.name = open.push->name();
        op.self_ms += (span - open.children_us) / 1000;
        op.calls += 1;
        op.flops += static_cast<double>(open.push->flops());
      }
    }
  }
  std::vector<OpTime> ops;
  for (auto& [name, op] : by_name) ops.push_back(std::move(op));
  std::sort(ops.begin(), ops.end(), [](const OpTime& a, const OpTime& b) { return a.self_ms > b.self_ms; });
  return ops;
}

void print_op_table(const std::vector<OpTime>& ops, double per, int rows) {
  double total = 0;
  for (const auto& op : ops) total += op.self_ms;
  fmt::print("{:<44} {:>9} {:>6} {:>8} {:>9}\n", "operator", "self ms", "share", "calls", "GFLOP");
  for (int i = 0; i < rows && i < static_cast<int>(ops.size()); ++i) {
    const auto& op = ops[i];
    fmt::print("{:<44.44} {:>9.3f} {:>5.1f}% {:>8.1f} {:>9.3f}\n", op.name, op.self_ms / per, 100 * op.self_ms / total,
               op.calls / per, op.flops / per / 1e9);
  }
  fmt::print("{:<44} {:>9.3f}\n", "all operators", total / per);
}

}  // namespace hashrl::bench
